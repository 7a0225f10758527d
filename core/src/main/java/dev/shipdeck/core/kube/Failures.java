package dev.shipdeck.core.kube;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.model.ConnectionState;
import io.fabric8.kubernetes.client.KubernetesClientException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns what went wrong talking to a cluster into a connection state a person understands. */
public final class Failures {
    private Failures() {}

    public static ConnectionState describe(Throwable t, Set<String> secrets) {
        Throwable root = unwrap(t);
        if (root instanceof ShipdeckException se) {
            return ConnectionState.of(ConnectionState.Phase.FAILED, Redact.text(se.getMessage(), secrets));
        }
        for (Throwable c = root; c != null; c = c.getCause()) {
            if (c instanceof KubernetesClientException ke && ke.getCode() > 0) {
                return http(ke.getCode(), ke.getStatus() != null && ke.getStatus().getMessage() != null ? ke.getStatus().getMessage() : "", secrets);
            }
            if (c instanceof ConnectException) {
                return ConnectionState.of(ConnectionState.Phase.UNREACHABLE, "connection refused");
            }
            if (c instanceof UnknownHostException) {
                return ConnectionState.of(ConnectionState.Phase.UNREACHABLE, "unknown host " + c.getMessage());
            }
            if (c instanceof SocketTimeoutException || c instanceof java.util.concurrent.TimeoutException) {
                return ConnectionState.of(ConnectionState.Phase.UNREACHABLE, "timed out");
            }
            if (c instanceof SSLException) {
                return ConnectionState.of(ConnectionState.Phase.FAILED, "TLS failed: " + Redact.text(c.getMessage(), secrets));
            }
        }
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (root instanceof IOException) {
            return ConnectionState.of(ConnectionState.Phase.UNREACHABLE, Redact.text(msg, secrets));
        }
        return ConnectionState.of(ConnectionState.Phase.FAILED, Redact.text(msg, secrets));
    }

    public static ConnectionState http(int code, String message, Set<String> secrets) {
        String m = Redact.text(message == null ? "" : message, secrets);
        return switch (code) {
            case 401 -> ConnectionState.of(ConnectionState.Phase.FAILED, "401: credentials rejected (token expired or invalid)");
            case 403 -> ConnectionState.of(ConnectionState.Phase.FORBIDDEN, "403: " + (m.isEmpty() ? "forbidden" : m));
            case 429 -> ConnectionState.of(ConnectionState.Phase.RETRYING, "429: server busy");
            default -> ConnectionState.of(code >= 500 ? ConnectionState.Phase.RETRYING : ConnectionState.Phase.FAILED,
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
