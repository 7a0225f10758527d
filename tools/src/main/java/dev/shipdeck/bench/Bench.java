package dev.shipdeck.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the benchmark runners share: their options, the java binary and jar, /proc readings, progress lines. */
final class Bench {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Bench() {}

    static String value(String[] args, int i) {
        if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value");
        return args[i];
    }

    static int positive(String s, String flag) {
        try {
            int v = Integer.parseInt(s.trim());
            if (v < 1) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes whole numbers ≥ 1, got '" + s + "'");
        }
    }

    /** {@code 90s}, {@code 10m}, {@code 1m30s}, {@code 500ms}, {@code 2h}. */
    static Duration duration(String s, String flag) {
        String v = s.trim();
        if (!v.matches("(\\d+(ms|s|m|h))+")) throw new IllegalArgumentException(flag + " takes a duration like 90s or 10m, got '" + s + "'");
        Duration total = Duration.ZERO;
        Matcher m = DURATION.matcher(v);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
        }
        if (total.isZero()) throw new IllegalArgumentException(flag + " must be longer than 0");
        return total;
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The shipdeck.jar to run when {@code --jar} is not given: {@code agent-headless/target/shipdeck.jar} of the checkout
     * the tools jar was built in ({@code tools/target/shipdeck-tools.jar}), else the same path under the current directory.
     */
    static Path defaultShipdeckJar() {
        Path relative = Path.of("agent-headless", "target", "shipdeck.jar");
        try {
            Path own = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path checkout = own.toAbsolutePath().getParent() == null ? null : own.toAbsolutePath().getParent().getParent();
            if (checkout != null && checkout.getParent() != null) {
                Path beside = checkout.getParent().resolve(relative);
                if (Files.isRegularFile(beside)) return beside;
            }
        } catch (URISyntaxException e) {
            throw new UncheckedIOException(new IOException("cannot locate the tools jar: " + e.getMessage()));
        }
        return relative;
    }

    /** A {@code kB} field of /proc/PID/status (e.g. {@code VmRSS:}, {@code VmHWM:}); 0 when the process is gone. */
    static long procStatusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    /** The machine the numbers were taken on. */
    static String facts() {
        return "Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + "; java " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vm.name") + ")";
    }

    static void progress(String format, Object... args) {
        System.err.printf(format + "%n", args);
    }
}
