package dev.shipdeck.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipdeck.core.kube.Redact;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's log: one JSON object per line ({@code time}, {@code level}, {@code msg}, then fields), with every
 * string scrubbed of credentials. {@link #captureLibraryOutput()} turns what libraries print on stderr into such
 * lines too, so a log collector sees nothing but JSON.
 */
public final class AgentLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** slf4j-simple's layout: {@code [thread] LEVEL logger - message} (the thread is optional). */
    private static final Pattern LIBRARY_LINE = Pattern.compile("^(?:\\[[^]]*] )?(TRACE|DEBUG|INFO|WARN|ERROR) (\\S+) - (.*)$");

    private final PrintStream out;
    private final Clock clock;
    private final Supplier<Set<String>> secrets;

    /** @param secrets the credentials to scrub, asked for on every entry (exec plugins hand out new tokens) */
    public AgentLog(PrintStream out, Clock clock, Supplier<Set<String>> secrets) {
        this.out = out;
        this.clock = clock;
        this.secrets = secrets;
    }

    public void info(String msg, Object... fields) { entry("info", msg, fields); }

    public void warn(String msg, Object... fields) { entry("warn", msg, fields); }

    public void error(String msg, Object... fields) { entry("error", msg, fields); }

    /** {@code fields} alternate names and values. */
    void entry(String level, String msg, Object... fields) {
        ObjectNode o = JSON.createObjectNode();
        o.put("time", clock.instant().toString()).put("level", level).put("msg", scrub(msg));
        for (int i = 0; i + 1 < fields.length; i += 2) {
            Object v = fields[i + 1];
            String k = String.valueOf(fields[i]);
            if (v instanceof Number n) {
                o.put(k, n.longValue());
            } else if (v instanceof Boolean b) {
                o.put(k, b);
            } else {
                o.put(k, scrub(String.valueOf(v)));
            }
        }
        synchronized (out) {
            out.println(o);
            out.flush();
        }
    }

    private String scrub(String s) {
        return Redact.text(s, secrets.get());
    }

    /** From now on, lines other code prints on {@code System.err} become JSON lines of this log. */
    public void captureLibraryOutput() {
        System.setErr(new PrintStream(new LineSink(), true, StandardCharsets.UTF_8));
    }

    /** Buffers bytes up to a newline, then logs the line. */
    private final class LineSink extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                flushLine();
            } else {
                line.write(b);
            }
        }

        private void flushLine() {
            String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
            line.reset();
            if (text.isBlank()) return;
            Matcher m = LIBRARY_LINE.matcher(text);
            if (m.matches()) {
                entry(m.group(1).toLowerCase(Locale.ROOT), m.group(3), "logger", m.group(2));
            } else {
                entry("warn", text, "logger", "stderr");
            }
        }
    }
}
