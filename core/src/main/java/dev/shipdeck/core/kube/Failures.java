package dev.shipdeck.core.kube;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.model.ConnectionState;
import dev.shipdeck.core.model.ConnectionState.Phase;
import io.fabric8.kubernetes.client.KubernetesClientException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Turns what went wrong talking to a cluster into a connection state a person understands. */
public final class Failures {
    private Failures() {}

    public static ConnectionState describe(Throwable t, Set<String> secrets) {
        Throwable root = unwrap(t);
        if (root instanceof ClusterException ce) {
            return ce.state();
        }
        if (root instanceof KubeconfigException ke) {
            return ConnectionState.of(Phase.MISCONFIGURED, Redact.text(ke.getMessage(), secrets), Redact.text(ke.hint(), secrets));
        }
        if (root instanceof ShipdeckException se) {
            return ConnectionState.of(Phase.FAILED, Redact.text(se.getMessage(), secrets), Redact.text(se.hint(), secrets));
        }
        for (Throwable c = root; c != null; c = c.getCause()) {
            if (c instanceof KubernetesClientException ke && ke.getCode() > 0) {
                return http(ke.getCode(), ke.getStatus() != null && ke.getStatus().getMessage() != null ? ke.getStatus().getMessage() : "", secrets);
            }
            if (c instanceof ConnectException || c instanceof NoRouteToHostException) {
                return ConnectionState.of(Phase.UNREACHABLE, "connection refused");
            }
            if (c instanceof UnknownHostException) {
                return ConnectionState.of(Phase.UNREACHABLE, "unknown host " + c.getMessage());
            }
            if (c instanceof SocketTimeoutException || c instanceof TimeoutException
                    || c instanceof InterruptedIOException && "timeout".equals(c.getMessage())) {
                return ConnectionState.of(Phase.UNREACHABLE, "timed out");
            }
            if (c instanceof SSLException) {
                return tls(c, secrets);
            }
        }
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (root instanceof IOException) {
            return ConnectionState.of(Phase.UNREACHABLE, Redact.text(msg, secrets));
        }
        return ConnectionState.of(Phase.FAILED, Redact.text(msg, secrets));
    }

    /** The same, as an exception to throw (a {@link ClusterException} carrying that state). */
    public static ClusterException exception(Throwable t, Set<String> secrets) {
        Throwable root = unwrap(t);
        if (root instanceof ClusterException ce) return ce;
        return new ClusterException(describe(root, secrets), root);
    }

    /** A TLS failure in words: whose certificate was not trusted, rather than the JDK's class names. */
    private static ConnectionState tls(Throwable c, Set<String> secrets) {
        boolean untrusted = false;
        for (Throwable x = c; x != null; x = x.getCause()) {
            String m = String.valueOf(x.getMessage());
            if (x instanceof CertificateException || m.contains("PKIX") || m.contains("unable to find valid certification path")) {
                untrusted = true;
            }
        }
        if (untrusted) {
            return ConnectionState.of(Phase.FAILED, "TLS failed: the server's certificate is not trusted (no certificate authority the "
                    + "kubeconfig gives signed it)", "check certificate-authority(-data) of the context's cluster in the kubeconfig");
        }
        String m = String.valueOf(c.getMessage());
        if (c instanceof SSLHandshakeException || m.contains("Unsupported or unrecognized SSL message") || m.contains("plaintext")) {
            return ConnectionState.of(Phase.FAILED, "TLS failed: " + Redact.text(m, secrets),
                    "check that the server URL's scheme (https:// or http://) and port are the API server's");
        }
        return ConnectionState.of(Phase.FAILED, "TLS failed: " + Redact.text(m, secrets));
    }

    public static ConnectionState http(int code, String message, Set<String> secrets) {
        String m = Redact.text(message == null ? "" : message, secrets);
        return switch (code) {
            case 401 -> ConnectionState.of(Phase.FAILED, "401: credentials rejected (token expired or invalid)");
            case 403 -> ConnectionState.of(Phase.FORBIDDEN, "403: " + (m.isEmpty() ? "forbidden" : m));
            case 429 -> ConnectionState.of(Phase.RETRYING, "429: server busy");
            default -> ConnectionState.of(code >= 500 ? Phase.RETRYING : Phase.FAILED,
                    code + (m.isEmpty() ? "" : ": " + m));
        };
    }

    public static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }
}
