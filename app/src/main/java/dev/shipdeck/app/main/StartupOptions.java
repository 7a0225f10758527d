package dev.shipdeck.app.main;

import java.util.List;

/**
 * The command line: {@code [--demo [--demo-user viewer]] [--kubeconfig FILE] [--theme light|dark]
 * [--sim-components N] [--measure] [-v|-vv]}.
 *
 * @param verbosity how often {@code -v} was given: 0 keeps library logging off, 1 shows it at INFO, 2 at DEBUG
 */
public record StartupOptions(boolean demo, String demoUser, String kubeconfig, String theme, int simComponents,
                             boolean measure, boolean help, int verbosity) {
    public static final String USAGE = """
            Usage: java -jar shipdeck-desktop.jar [options]

            Opens your kubeconfig (KUBECONFIG or ~/.kube/config); with none, offers the built-in demo cluster.

              --demo                 open the built-in demo cluster (three simulated clusters, nothing leaves this machine)
              --demo-user USER       the demo's user: admin (default) or viewer (read-only)
              --kubeconfig FILE      open this kubeconfig instead of KUBECONFIG / ~/.kube/config
              --theme light|dark     start with this theme (remembered afterwards)
              --sim-components N     (development) open a generated cluster with N components, for measurements
              --measure              print start-up timings and memory once the data is shown, then exit
              -v, --verbose          also show what the libraries log (JavaFX, fabric8, okhttp) on stderr; -vv for debug detail
              -h, --help             show this help
            """;

    public static StartupOptions parse(List<String> args) {
        boolean demo = false;
        boolean measure = false;
        boolean help = false;
        String user = null;
        String kubeconfig = null;
        String theme = null;
        int components = 0;
        int verbosity = 0;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--demo" -> demo = true;
                case "-v", "--verbose" -> verbosity++;
                case "-vv" -> verbosity += 2;
                case "--measure" -> measure = true;
                case "-h", "--help" -> help = true;
                case "--demo-user" -> user = value(args, ++i, a);
                case "--kubeconfig" -> kubeconfig = value(args, ++i, a);
                case "--theme" -> {
                    theme = value(args, ++i, a);
                    if (!theme.equals("light") && !theme.equals("dark")) throw new IllegalArgumentException("--theme takes light or dark, not " + theme);
                }
                case "--sim-components" -> {
                    String v = value(args, ++i, a);
                    try {
                        components = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--sim-components takes a number, not " + v);
                    }
                    if (components < 1) throw new IllegalArgumentException("--sim-components takes a positive number");
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (demo && kubeconfig != null) throw new IllegalArgumentException("--demo and --kubeconfig exclude each other");
        return new StartupOptions(demo, user, kubeconfig, theme, components, measure, help, verbosity);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size() || args.get(i).startsWith("--")) throw new IllegalArgumentException(option + " needs a value");
        return args.get(i);
    }

    /** What to open first. */
    public SessionSource source() {
        if (simComponents > 0) return SessionSource.benchmark(simComponents);
        if (demo) return SessionSource.demo(demoUser);
        return SessionSource.kubeconfig(kubeconfig);
    }
}
