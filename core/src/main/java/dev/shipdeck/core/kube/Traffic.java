package dev.shipdeck.core.kube;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * What happens to a context's watch requests, seen from the HTTP client: a watch answered, refused, or a connection
 * that failed. Informers reconnect on their own and do not say so; this is how the console can still show
 * "retrying (503 …)" and then "connected".
 */
public final class Traffic implements Interceptor {
    /** One observation. {@code path} identifies the watched collection; {@code code} is 0 for connection failures. */
    public record Signal(String path, boolean ok, int code, String reason) {}

    private final List<Consumer<Signal>> listeners = new CopyOnWriteArrayList<>();

    public AutoCloseable listen(Consumer<Signal> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private static boolean isWatch(HttpRequest request) {
        String q = request.uri().getRawQuery();
        return q != null && (q.contains("watch=true") || q.contains("watch=1"));
    }

    private void emit(Signal s) {
        for (Consumer<Signal> l : listeners) l.accept(s);
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        if (isWatch(request) && response.isSuccessful()) {
            emit(new Signal(request.uri().getPath(), true, response.code(), ""));
        }
    }

    @Override
    public CompletableFuture<Boolean> afterFailure(BasicBuilder builder, HttpResponse<?> response, RequestTags tags) {
        HttpRequest request = response.request();
        // a websocket upgrade answered with a plain 200 is how fabric8 discovers HTTP watches: not a failure
        if (request != null && isWatch(request) && !HttpResponse.isSuccessful(response.code()) && response.code() != 101) {
            emit(new Signal(request.uri().getPath(), false, response.code(), "watch answered " + response.code()));
        }
        return CompletableFuture.completedFuture(false);
    }

    @Override
    public void afterConnectionFailure(HttpRequest request, Throwable failure) {
        if (isWatch(request)) {
            emit(new Signal(request.uri().getPath(), false, 0, failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : ": " + failure.getMessage())));
        }
    }

    static Consumer<io.fabric8.kubernetes.client.http.HttpClient.Builder> installer(Traffic traffic) {
        return b -> b.addOrReplaceInterceptor("shipdeck-traffic", traffic);
    }
}
