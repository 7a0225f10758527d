package dev.shipdeck.core.repo;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation is self-contained: every relative link in the README, in docs/ and in the module READMEs (every
 * Markdown file of the repository) points at a file or folder inside the repository that exists — and at a heading
 * that exists, when it names one. Links to the web are not followed.
 */
class DocsLinksTest {
    /** {@code [text](dest)} and {@code ![alt](dest)}, dest up to a space or ')'. */
    private static final Pattern INLINE = Pattern.compile("!?\\[[^\\]]*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** {@code [id]: dest} reference definitions. */
    private static final Pattern REFERENCE = Pattern.compile("(?m)^\\s{0,3}\\[[^\\]]+]:\\s*<?(\\S+?)>?(?:\\s+.*)?$");
    /** href="..." and src="..." of inline HTML. */
    private static final Pattern HTML = Pattern.compile("(?:href|src)\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    @Test
    void everyRelativeLinkResolvesInsideTheRepository() throws IOException {
        Path root = Repository.root().toRealPath();
        List<Path> files = markdownFiles(root);
        assertThat(files).as("the Markdown files").extracting(f -> root.relativize(f).toString().replace('\\', '/'))
                .contains("README.md", "docs/ARCHITECTURE.md", "docs/DEVELOPING.md", "agent-headless/README.md");

        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path f : files) {
            for (String link : links(Files.readString(f))) {
                if (SCHEME.matcher(link).find()) continue; // https:, mailto:: not ours to check
                checked++;
                String problem = problem(root, f, link);
                if (problem != null) broken.add(root.relativize(f) + ": (" + link + ") " + problem);
            }
        }
        assertThat(broken).as("broken or outside links (of %d checked)", checked).isEmpty();
        assertThat(checked).as("relative links checked").isGreaterThan(10);
    }

    @Test
    void theCheckerFindsWhatItShould() throws IOException {
        Path root = Repository.root().toRealPath();
        Path readme = root.resolve("README.md");
        assertThat(problem(root, readme, "../shared/DESIGN.md")).isEqualTo("points outside the repository");
        assertThat(problem(root, readme, "docs/NOPE.md")).isEqualTo("does not exist");
        assertThat(problem(root, readme, "/etc/passwd")).startsWith("is absolute");
        assertThat(problem(root, readme, "docs/ARCHITECTURE.md#no-such-heading")).isEqualTo("has no heading #no-such-heading");
        assertThat(problem(root, readme, "docs/ARCHITECTURE.md#how-a-command-flows")).isNull();
        assertThat(problem(root, readme, "docs/screenshots/")).isNull();
        assertThat(links("See [design](../shared/DESIGN.md), ![x](img/a.png \"t\")\n[r]: docs/X.md\n"
                + "`[not](code.md)` and <a href=\"a/b.md#c\">b</a>\n```\n[also not](fenced.md)\n```\n"))
                .containsExactly("../shared/DESIGN.md", "img/a.png", "a/b.md#c", "docs/X.md");
        assertThat(slug("Run it: the demo — `--demo` (1.2)")).isEqualTo("run-it-the-demo----demo-12");
    }

    /** Why {@code link} in {@code file} is broken, or null when it is fine. */
    static String problem(Path root, Path file, String link) throws IOException {
        String target = link;
        String anchor = null;
        int hash = target.indexOf('#');
        if (hash >= 0) {
            anchor = target.substring(hash + 1);
            target = target.substring(0, hash);
        }
        int query = target.indexOf('?');
        if (query >= 0) target = target.substring(0, query);
        target = URLDecoder.decode(target.replace("+", "%2B"), StandardCharsets.UTF_8);
        if (target.startsWith("/")) return "is absolute: link relative to the file instead";
        Path resolved = target.isEmpty() ? file : file.getParent().resolve(target).normalize();
        if (!resolved.startsWith(root)) return "points outside the repository";
        if (!Files.exists(resolved)) return "does not exist";
        if (!resolved.toRealPath().startsWith(root)) return "points outside the repository (through a link)";
        if (anchor != null && !anchor.isEmpty() && resolved.toString().endsWith(".md")
                && !headings(Files.readString(resolved)).contains(anchor.toLowerCase(Locale.ROOT))) {
            return "has no heading #" + anchor;
        }
        return null;
    }

    static List<Path> markdownFiles(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p))
                    .filter(p -> {
                        for (Path part : root.relativize(p)) {
                            String n = part.toString();
                            if (n.startsWith("target") || n.startsWith(".") || n.equals("node_modules")) return false;
                        }
                        return true;
                    })
                    .sorted().toList();
        }
    }

    /** The link destinations of a Markdown text, outside code. */
    static List<String> links(String markdown) {
        String text = markdown.replaceAll("(?s)```.*?```", "").replaceAll("(?s)~~~.*?~~~", "").replaceAll("`[^`\\n]*`", "");
        List<String> out = new ArrayList<>();
        for (Pattern p : List.of(INLINE, HTML, REFERENCE)) {
            Matcher m = p.matcher(text);
            while (m.find()) out.add(m.group(1));
        }
        return out;
    }

    /** GitHub's anchors of a Markdown file's headings. */
    static Set<String> headings(String markdown) {
        Set<String> out = new HashSet<>();
        String text = markdown.replaceAll("(?s)```.*?```", "");
        for (String line : text.split("\\R")) {
            Matcher m = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$").matcher(line);
            if (m.matches()) {
                String s = slug(m.group(1));
                String unique = s;
                for (int i = 1; !out.add(unique); i++) unique = s + "-" + i;
            }
        }
        return out;
    }

    /** As GitHub makes an anchor: lower case, punctuation dropped (but '-' and '_'), spaces to '-'. */
    static String slug(String heading) {
        String plain = heading.replaceAll("[`*]", "").replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1");
        return plain.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
