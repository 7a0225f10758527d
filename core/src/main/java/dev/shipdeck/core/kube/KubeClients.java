package dev.shipdeck.core.kube;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipdeck.core.ShipdeckException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One fabric8 client per kubeconfig context, created lazily and off the caller's thread (creating one may run an
 * exec credential plugin). Exec plugins are run by Shipdeck ({@link ExecCredentials}), everything else — tokens,
 * client certificates, OIDC auth-provider refresh, proxy-url, insecure-skip-tls-verify — by fabric8 from the
 * context's kubeconfig entries.
 */
public final class KubeClients implements AutoCloseable {
    /**
     * Client tuning: short timeouts for a CLI, patient ones for a long-running console. {@code requestTimeout} bounds
     * each request as a whole (connect, TLS, answer and body; zero: no bound, as kubectl's {@code --request-timeout 0});
     * {@code connectTimeout} the TCP connect within it; {@code retries} are the client's retries of a request that
     * failed with 5xx/429 or an I/O error, and never extend the request timeout (see {@link Http}). Watches are not
     * bounded by the request timeout.
     */
    public record Options(Duration connectTimeout, Duration requestTimeout, int retries, Duration execTimeout) {
        public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
        public static final Options INTERACTIVE = new Options(Duration.ofSeconds(5), DEFAULT_REQUEST_TIMEOUT, 2, Duration.ofSeconds(60));
        public static final Options CLI = new Options(Duration.ofSeconds(5), DEFAULT_REQUEST_TIMEOUT, 0, Duration.ofSeconds(60));

        /** These options with another request timeout; the connect timeout never exceeds it. */
        public Options withRequestTimeout(Duration timeout) {
            Duration connect = timeout.isZero() || timeout.compareTo(connectTimeout) > 0 ? connectTimeout : timeout;
            return new Options(connect, timeout, retries, execTimeout);
        }
    }

    private final Kubeconfig kubeconfig;
    private final Options options;
    private final ExecutorService executor;
    private final Map<String, CompletableFuture<KubernetesClient>> clients = new ConcurrentHashMap<>();
    private final Map<String, ExecCredentials> execs = new ConcurrentHashMap<>();
    private final Map<String, Traffic> traffic = new ConcurrentHashMap<>();

    public KubeClients(Kubeconfig kubeconfig, Options options) {
        this.kubeconfig = kubeconfig;
        this.options = options;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "kube-client-init");
            t.setDaemon(true);
            return t;
        });
    }

    public Kubeconfig kubeconfig() { return kubeconfig; }

    /** The client for a context, created on first use on a background thread. */
    public CompletableFuture<KubernetesClient> client(String context) {
        return clients.computeIfAbsent(context, c -> CompletableFuture.supplyAsync(() -> create(c), executor));
    }

    /** Waits for the client of a context; throws a {@link ShipdeckException} that says what is wrong. */
    public KubernetesClient clientNow(String context) {
        try {
            return client(context).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ShipdeckException se) throw se;
            throw Failures.exception(e.getCause(), secrets());
        }
    }

    /** Forgets a context's client (e.g. after a kubeconfig change), closing it. */
    public void reset(String context) {
        CompletableFuture<KubernetesClient> f = clients.remove(context);
        if (f != null) f.thenAccept(KubernetesClient::close);
        execs.remove(context);
    }

    /** Every secret a message could carry: the kubeconfig's, and the tokens exec plugins have returned. */
    public Set<String> secrets() {
        Set<String> all = new LinkedHashSet<>(kubeconfig.secrets());
        execs.values().forEach(e -> all.addAll(e.secrets()));
        return all;
    }

    private KubernetesClient create(String context) {
        kubeconfig.checkUsable(context);
        Kubeconfig.Context ctx = kubeconfig.context(context);
        Kubeconfig.Entry user = kubeconfig.user(ctx);
        JsonNode exec = user.body().path("exec");
        boolean hasExec = exec.isObject();
        Config base;
        try {
            // from the merged one-context YAML only: fabric8's (context, contents, path) variant re-reads the file at
            // path instead, which loses the other KUBECONFIG files and runs exec plugins itself
            base = Config.fromKubeconfig(kubeconfig.singleContextYaml(context, hasExec));
            Config.configFromSysPropsOrEnvVars(base); // proxy settings from the environment, as kubectl honours them
        } catch (RuntimeException e) {
            throw new KubeconfigException("context \"" + context + "\": cannot use its kubeconfig entries ("
                    + Redact.text(String.valueOf(Failures.unwrap(e).getMessage()), secrets()) + ")", "check the cluster and user of this context");
        }
        if (base.getMasterUrl() == null || base.getMasterUrl().isBlank()) {
            throw new KubeconfigException("context \"" + context + "\" has no server URL", "set clusters[].cluster.server in the kubeconfig");
        }
        ConfigBuilder b = new ConfigBuilder(base)
                .withConnectionTimeout((int) options.connectTimeout().toMillis())
                .withRequestTimeout((int) options.requestTimeout().toMillis())
                .withRequestRetryBackoffLimit(options.retries())
                .withRequestRetryBackoffInterval(500)
                .withWatchReconnectInterval(1000)
                .withWatchReconnectLimit(-1);
        String tokenFile = user.body().path("tokenFile").asText("");
        if (!hasExec && !tokenFile.isEmpty()) {
            // kubectl re-reads tokenFile (projected ServiceAccount tokens rotate); fabric8 ignores the field
            b.withOauthToken(null).withOauthTokenProvider(new TokenFile(java.nio.file.Path.of(tokenFile), context));
        }
        if (hasExec) {
            ExecCredentials creds = new ExecCredentials(context, exec, Clock.systemUTC(), options.execTimeout());
            creds.getToken(); // runs the plugin now, on this background thread, so failures surface here
            execs.put(context, creds);
            b.withOauthToken(null).withOauthTokenProvider(creds);
        }
        Traffic t = traffic(context);
        try {
            return new KubernetesClientBuilder().withConfig(b.build()).withHttpClientBuilderConsumer(Traffic.installer(t)).build();
        } catch (RuntimeException e) {
            // building the TLS context failed; the CA was checked before, so it is the client certificate or key. The
            // exception's own text may quote key material: it is not shown
            boolean clientCert = user.body().has("client-certificate-data") || user.body().has("client-certificate")
                    || user.body().has("client-key-data") || user.body().has("client-key");
            throw new KubeconfigException(clientCert
                    ? "cannot use the client certificate and key of user \"" + user.name() + "\" (context \"" + context + "\"): they are not a "
                            + "readable PEM certificate and private key"
                    : "context \"" + context + "\": cannot set up TLS with its kubeconfig entries",
                    clientCert ? "use the PEM files your cluster issued (-----BEGIN CERTIFICATE----- and -----BEGIN ... PRIVATE KEY-----)"
                            : "check certificate-authority(-data) and the user's credentials of this context");
        }
    }

    /** The watch traffic of a context's client (for connection states). */
    public Traffic traffic(String context) {
        return traffic.computeIfAbsent(context, c -> new Traffic());
    }

    /** The exec plugin runner of a context, if it uses one (for diagnostics). */
    public ExecCredentials exec(String context) { return execs.get(context); }

    @Override
    public void close() {
        clients.values().forEach(f -> f.thenAccept(KubernetesClient::close));
        executor.shutdownNow();
    }
}
