package dev.shipdeck.tools;

import dev.shipdeck.bench.AgentLoad;
import dev.shipdeck.bench.Benchmark;

import java.util.Arrays;

/**
 * {@code java -jar tools/target/shipdeck-tools.jar benchmark|agent-load|screenshots [options]}: the developer tools,
 * kept out of the product jars (shipdeck.jar, shipdeck-desktop.jar).
 */
public final class Tools {
    static final String USAGE = """
            Usage: java -jar tools/target/shipdeck-tools.jar TOOL [options]

            Developer tools of Shipdeck (not part of shipdeck.jar or shipdeck-desktop.jar):

              benchmark     time shipdeck against kubectl on simulated clusters (docs/PERFORMANCE.md)
              agent-load    the agent under a steady churn of rollouts: lag, memory, lost or duplicated records
              screenshots   open the desktop app on the demo and save PNGs of its main views, light and dark

            Run "TOOL --help" for the options of one tool.
            """;

    private Tools() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.print(USAGE);
            if (args.length == 0) System.exit(2);
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "benchmark" -> Benchmark.main(rest);
            case "agent-load" -> AgentLoad.main(rest);
            case "screenshots" -> ScreenshotTour.main(rest);
            default -> {
                System.err.println("shipdeck-tools: unknown tool '" + args[0] + "'");
                System.err.print(USAGE);
                System.exit(2);
            }
        }
    }
}
