package dev.shipdeck.core;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * What reaches the terminal besides Shipdeck's own {@code error:}/{@code warning:} lines. The libraries log through
 * two channels: SLF4J (fabric8, its okhttp client, Shipdeck's own classes), bound to slf4j-simple in the
 * {@code shipdeck} and desktop jars, and {@code java.util.logging} (JavaFX, okhttp's internal warnings, the embedded
 * cluster-sim). By default both are quiet: library lines are off, Shipdeck's own warnings stay on (in the CLI as
 * {@code warning: ...} lines). {@code -v} turns every logger on at INFO, {@code -vv} at DEBUG/FINE. The agent keeps
 * library warnings on: it turns them into JSON lines of its own log.
 *
 * <p>Call {@link #configure} first thing in {@code main}, before any library class is loaded: slf4j-simple reads its
 * settings once, when the first logger is made. A {@code -D} setting given on the java command line wins.
 */
public final class Logging {
    /** Who is starting. */
    public enum Mode { CLI, DESKTOP, AGENT }

    private static final String SIMPLE = "org.slf4j.simpleLogger.";

    private Logging() {}

    /** @param verbosity 0 (default), 1 ({@code -v}: INFO) or 2 and more ({@code -vv}: DEBUG) */
    public static void configure(Mode mode, int verbosity) {
        String library = verbosity >= 2 ? "debug" : verbosity == 1 ? "info" : mode == Mode.AGENT ? "warn" : "off";
        String own = verbosity >= 2 ? "debug" : verbosity == 1 ? "info" : "warn";
        set("logFile", "System.err");
        set("defaultLogLevel", library);
        set("log.dev.shipdeck", own);
        if (mode == Mode.AGENT) {
            // the layout the agent's log parses ([thread] LEVEL logger - message)
            set("showThreadName", "false");
        } else if (verbosity == 0) {
            // only Shipdeck's own warnings are left: make them look like its other diagnostics
            set("showThreadName", "false");
            set("showLogName", "false");
            set("warnLevelString", "warning:");
        } else {
            set("showThreadName", "true");
            set("showShortLogName", "false");
        }
        if (mode != Mode.AGENT) {
            julLevel(verbosity >= 2 ? Level.FINE : verbosity == 1 ? Level.INFO : Level.OFF);
            Thread.setDefaultUncaughtExceptionHandler(Logging::uncaught);
        }
    }

    private static void set(String key, String value) {
        if (System.getProperty(SIMPLE + key) == null) System.setProperty(SIMPLE + key, value);
    }

    /** Root level of java.util.logging (and its console handler), unless a logging.properties was given. */
    private static void julLevel(Level level) {
        if (System.getProperty("java.util.logging.config.file") != null || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        Logger root = LogManager.getLogManager().getLogger("");
        root.setLevel(level);
        for (Handler h : root.getHandlers()) {
            if (h instanceof ConsoleHandler) h.setLevel(level);
        }
    }

    /**
     * An exception nobody caught, e.g. in a library's thread while a connection is closed at exit: logged under the
     * first Shipdeck class on its stack (then it shows by default: it is Shipdeck's bug), else under the class that
     * threw it (a library's, quiet unless {@code -v}). The JVM would print the stack trace on stderr.
     */
    static void uncaught(Thread t, Throwable e) {
        org.slf4j.LoggerFactory.getLogger(loggerFor(e)).error("uncaught exception in thread \"" + t.getName() + "\"", e);
    }

    static String loggerFor(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            for (StackTraceElement f : c.getStackTrace()) {
                if (f.getClassName().startsWith("dev.shipdeck.")) return f.getClassName();
            }
        }
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 ? trace[0].getClassName() : "uncaught";
    }
}
