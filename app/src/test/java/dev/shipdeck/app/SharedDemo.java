package dev.shipdeck.app;

/**
 * One demo cluster for the test classes that only read it or change what no other class looks at (starting the
 * demo takes seconds). Classes that change shared components start their own {@link DemoCluster}.
 */
public final class SharedDemo {
    private static DemoCluster demo;

    private SharedDemo() {}

    public static synchronized DemoCluster get() {
        if (demo == null) {
            demo = DemoCluster.start();
            Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "shared-demo-stop"));
        }
        return demo;
    }
}
