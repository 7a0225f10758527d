package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Kubernetes REST API of one simulated cluster over HTTPS: discovery, CRUD, list/watch (HTTP streaming),
 * patches, the status and scale subresources, access reviews, bearer-token authentication and RBAC.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ApiServer.class.getName());
    private static final String KUBE_VERSION = "v1.32.0";

    private final Store store;
    private final Resources resources;
    private final Authz authz;
    private final Faults faults;
    private final Runnable onCrdChange;
    private final FaultControl control;
    private final HttpsConfigurator https;
    private final ExecutorService executor;
    private final int port;
    private volatile HttpsServer server;
    private boolean listening;
    private boolean closed;

    public ApiServer(String clusterName, Store store, Authz authz, Faults faults, Certificates certs, int port, Runnable onCrdChange)
            throws IOException {
        this.store = store;
        this.resources = store.resources();
        this.authz = authz;
        this.faults = faults;
        this.onCrdChange = onCrdChange;
        this.control = new FaultControl(clusterName, authz, faults);
        this.https = new HttpsConfigurator(certs.sslContext());
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sim-api");
            t.setDaemon(true);
            return t;
        });
        this.server = newServer(port);
        this.port = server.getAddress().getPort();
        faults.onReachability(this::reachability);
    }

    private HttpsServer newServer(int onPort) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", onPort), 256);
        s.setHttpsConfigurator(https);
        s.setExecutor(executor);
        s.createContext("/", this::handle);
        return s;
    }

    public synchronized void start() {
        server.start();
        listening = true;
    }

    public int port() { return port; }

    public String url() { return "https://127.0.0.1:" + port(); }

    /** The REFUSE fault closes the port (connection refused); reachable again, the same port listens anew. */
    private synchronized void reachability(Faults.Unreachable mode) {
        if (closed) return;
        if (mode == Faults.Unreachable.REFUSE && listening) {
            server.stop(0);
            listening = false;
        } else if (mode != Faults.Unreachable.REFUSE && !listening) {
            try {
                server = newServer(port);
                server.start();
                listening = true;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot listen on port " + port + " again", e);
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (listening) server.stop(0);
            listening = false;
        }
        faults.dropWatches();
        faults.close();
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- request plumbing

    private record Req(HttpExchange ex, String method, List<String> segs, Query query, Authz.User user) {
        String q(String k) { return query.get(k); }

        /** {@code dryRun=All}; another value is a 422 on the method's options kind. */
        boolean dryRun() {
            return query.dryRun(switch (method) {
                case "POST" -> "CreateOptions";
                case "PUT" -> "UpdateOptions";
                case "PATCH" -> "PatchOptions";
                default -> "DeleteOptions";
            });
        }
    }

    private void handle(HttpExchange ex) {
        try {
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith(FaultControl.PATH_PREFIX)) {
                control.handle(ex, path);
                return;
            }
            Query query = Query.parse(ex.getRequestURI().getRawQuery());
            boolean watch = query.bool("watch") || path.contains("/watch/");
            switch (faults.unreachableMode()) {
                case DROP, REFUSE -> { return; } // close without answering
                case HANG -> {
                    faults.awaitReachable(); // then drop: the client gave up long ago
                    return;
                }
                default -> { }
            }
            Faults.Effect effect = faults.effectFor(new Faults.Call(ex.getRequestMethod(), path, watch));
            if (!effect.delay().isZero()) {
                Thread.sleep(effect.delay().toMillis());
            }
            if (effect.status() != 0) {
                if (effect.retryAfterSeconds() != null || effect.status() == 429) {
                    ex.getResponseHeaders().add("Retry-After", Integer.toString(effect.retryAfterSeconds() != null ? effect.retryAfterSeconds() : 1));
                }
                ApiException injected = injected(effect);
                if (watch && effect.status() == 410) {
                    sendWatchError(ex, injected);
                    return;
                }
                throw injected;
            }
            Authz.User user = authz.authenticate(ex.getRequestHeaders().getFirst("Authorization"));
            if (user == null) {
                throw new ApiException(401, "Unauthorized", "Unauthorized");
            }
            try {
                user = authz.impersonate(user, ex.getRequestHeaders());
            } catch (Authz.ImpersonationError e) {
                sendText(ex, 500, "Internal Server Error: \"" + ex.getRequestURI() + "\": " + e.getMessage());
                return;
            }
            List<String> segs = new ArrayList<>();
            for (String s : path.split("/")) {
                if (!s.isEmpty()) segs.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
            }
            route(new Req(ex, ex.getRequestMethod().toUpperCase(Locale.ROOT), segs, query, user), watch);
        } catch (ApiException e) {
            sendStatus(ex, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.log(Level.FINE, "client went away", e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "internal error serving " + ex.getRequestURI(), e);
            sendStatus(ex, new ApiException(500, "InternalError", "internal error: " + e));
        } finally {
            ex.close();
        }
    }

    private void route(Req r, boolean watch) throws IOException {
        List<String> s = r.segs();
        if (s.isEmpty()) {
            send(r.ex(), 200, pathsDoc());
            return;
        }
        switch (s.get(0)) {
            case "version" -> { send(r.ex(), 200, version()); return; }
            case "healthz", "livez", "readyz" -> { sendText(r.ex(), 200, "ok"); return; }
            case "openapi" -> {
                if (s.size() == 2 && s.get(1).equals("v3")) { send(r.ex(), 200, OpenApi.root(resources)); return; }
                if (s.size() >= 4 && s.get(1).equals("v3")) {
                    boolean core = s.get(2).equals("api");
                    String group = core ? "" : s.get(3);
                    String version = core ? s.get(3) : s.size() > 4 ? s.get(4) : "";
                    if (core || resources.groups().containsKey(group)) {
                        send(r.ex(), 200, OpenApi.groupVersion(resources, group, version, false));
                        return;
                    }
                }
                throw notFound();
            }
            case "api" -> {
                if (s.size() == 1) { send(r.ex(), 200, apiVersions()); return; }
                if (!"v1".equals(s.get(1))) throw notFound();
                if (s.size() == 2) { send(r.ex(), 200, resourceList("", "v1")); return; }
                resource(r, "", "v1", s.subList(2, s.size()), watch);
                return;
            }
            case "apis" -> {
                if (s.size() == 1) { send(r.ex(), 200, apiGroupList()); return; }
                String group = s.get(1);
                List<String> versions = resources.groups().get(group);
                if (versions == null) throw notFound();
                if (s.size() == 2) { send(r.ex(), 200, apiGroup(group, versions)); return; }
                if (!versions.contains(s.get(2))) throw notFound();
                if (s.size() == 3) { send(r.ex(), 200, resourceList(group, s.get(2))); return; }
                resource(r, group, s.get(2), s.subList(3, s.size()), watch);
                return;
            }
            default -> throw notFound();
        }
    }

    /** The error an injected status answers with: the API server's reason for the code and a message saying it was injected. */
    private static ApiException injected(Faults.Effect e) {
        int code = e.status();
        String reason = switch (code) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 405 -> "MethodNotAllowed";
            case 409 -> "Conflict";
            case 410 -> "Expired";
            case 422 -> "Invalid";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            case 504 -> "Timeout";
            default -> code >= 500 ? "InternalError" : "BadRequest";
        };
        String message = e.message() != null ? e.message()
                : code == 429 ? "too many requests, please try again later"
                : code == 410 ? "too old resource version (injected)"
                : "injected server error (" + code + ")";
        return new ApiException(code, reason, message);
    }

    private static ApiException notFound() {
        return new ApiException(404, "NotFound", "the server could not find the requested resource");
    }

    // ---------------------------------------------------------------- discovery

    private ObjectNode version() {
        ObjectNode v = Json.object();
        v.put("major", "1").put("minor", "32").put("gitVersion", KUBE_VERSION).put("gitCommit", "shipdeck-cluster-sim")
                .put("gitTreeState", "clean").put("buildDate", "2026-01-01T00:00:00Z").put("goVersion", "go1.23")
                .put("compiler", "gc").put("platform", "linux/amd64");
        return v;
    }

    private ObjectNode pathsDoc() {
        ObjectNode o = Json.object();
        ArrayNode paths = o.putArray("paths");
        paths.add("/api").add("/api/v1").add("/apis").add("/healthz").add("/livez").add("/readyz").add("/version");
        resources.groups().forEach((g, vs) -> {
            paths.add("/apis/" + g);
            vs.forEach(v -> paths.add("/apis/" + g + "/" + v));
        });
        return o;
    }

    private ObjectNode apiVersions() {
        ObjectNode o = Json.object();
        o.put("kind", "APIVersions");
        o.putArray("versions").add("v1");
        ObjectNode addr = o.putArray("serverAddressByClientCIDRs").addObject();
        addr.put("clientCIDR", "0.0.0.0/0").put("serverAddress", "127.0.0.1:" + port());
        return o;
    }

    private ObjectNode apiGroupList() {
        ObjectNode o = Json.object();
        o.put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = o.putArray("groups");
        resources.groups().forEach((g, vs) -> groups.add(apiGroup(g, vs)));
        return o;
    }

    private ObjectNode apiGroup(String group, List<String> versions) {
        ObjectNode g = Json.object();
        g.put("kind", "APIGroup").put("apiVersion", "v1").put("name", group);
        ArrayNode vs = g.putArray("versions");
        for (String v : versions) {
            vs.addObject().put("groupVersion", group + "/" + v).put("version", v);
        }
        g.putObject("preferredVersion").put("groupVersion", group + "/" + versions.get(0)).put("version", versions.get(0));
        return g;
    }

    private ObjectNode resourceList(String group, String version) {
        ObjectNode o = Json.object();
        o.put("kind", "APIResourceList").put("apiVersion", "v1").put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode list = o.putArray("resources");
        for (ResourceType t : resources.all()) {
            if (!t.group().equals(group) || !t.version().equals(version)) continue;
            ObjectNode r = list.addObject();
            r.put("name", t.plural()).put("singularName", t.singular()).put("namespaced", t.namespaced()).put("kind", t.kind());
            ArrayNode verbs = r.putArray("verbs");
            t.verbs().forEach(verbs::add);
            if (!t.shortNames().isEmpty()) {
                ArrayNode sn = r.putArray("shortNames");
                t.shortNames().forEach(sn::add);
            }
            if (!t.categories().isEmpty()) {
                ArrayNode c = r.putArray("categories");
                t.categories().forEach(c::add);
            }
            r.put("storageVersionHash", Integer.toHexString(t.key().hashCode()));
            for (String sub : t.subresources()) {
                ObjectNode sr = list.addObject();
                sr.put("name", t.plural() + "/" + sub).put("singularName", "").put("namespaced", t.namespaced());
                if (sub.equals("scale")) {
                    sr.put("group", "autoscaling").put("version", "v1").put("kind", "Scale");
                } else {
                    sr.put("kind", t.kind());
                }
                sr.putArray("verbs").add("get").add("patch").add("update");
            }
        }
        return o;
    }

    // ---------------------------------------------------------------- resources

    private void resource(Req r, String group, String version, List<String> rest, boolean watch) throws IOException {
        List<String> segs = new ArrayList<>(rest);
        if (!segs.isEmpty() && segs.get(0).equals("watch")) {
            segs.remove(0);
            watch = true;
        }
        String ns = "";
        if (segs.size() >= 3 && segs.get(0).equals("namespaces") && resources.lookup(group, version, segs.get(2)) != null
                && !(group.isEmpty() && segs.size() == 3 && (segs.get(2).equals("status") || segs.get(2).equals("finalize")))) {
            ns = segs.get(1);
            segs = segs.subList(2, segs.size());
        }
        ResourceType type = resources.lookup(group, version, segs.get(0));
        if (type == null || segs.size() > 3) throw notFound();
        if (!ns.isEmpty() && !type.namespaced()) throw notFound();
        String name = segs.size() > 1 ? segs.get(1) : "";
        String sub = segs.size() > 2 ? segs.get(2) : "";
        if (!sub.isEmpty() && !type.subresources().contains(sub)) throw notFound();

        String verb = verb(r.method(), name.isEmpty(), watch);
        Authz.Request areq = new Authz.Request(verb, group, type.plural(), sub, ns, name);
        if (!type.isReview() && !authz.allowed(r.user(), areq)) {
            throw Authz.forbidden(r.user(), areq);
        }
        if (type.isReview()) {
            if (!"POST".equals(r.method())) throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
            review(r, type);
            return;
        }
        switch (verb) {
            case "get" -> get(r, type, ns, name, sub);
            case "list" -> list(r, type, ns);
            case "watch" -> watch(r, type, ns, name);
            case "create" -> create(r, type, ns);
            case "update" -> update(r, type, ns, name, sub);
            case "patch" -> patch(r, type, ns, name, sub);
            case "delete" -> delete(r, type, ns, name);
            case "deletecollection" -> deleteCollection(r, type, ns);
            default -> throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
        }
    }

    private static String verb(String method, boolean collection, boolean watch) {
        return switch (method) {
            case "GET", "HEAD" -> watch ? "watch" : collection ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> collection ? "deletecollection" : "delete";
            default -> "unknown";
        };
    }

    private void get(Req r, ResourceType type, String ns, String name, String sub) throws IOException {
        ObjectNode obj = store.get(type, ns, name);
        if (sub.equals("scale")) {
            send(r.ex(), 200, toScale(type, obj));
        } else if (sub.isEmpty() && wantsTable(r)) {
            long rv = Long.parseLong(Json.str(obj, "0", "metadata", "resourceVersion"));
            send(r.ex(), 200, Tables.table(type, crdOf(type), List.of(obj), rv, store.clock(), r.q("includeObject")));
        } else {
            send(r.ex(), 200, obj);
        }
    }

    private void list(Req r, ResourceType type, String ns) throws IOException {
        Predicate<JsonNode> filter = Selector.labels(r.q("labelSelector")).and(Selector.fields(r.q("fieldSelector")));
        Store.Listing l = store.list(type, ns, filter);
        ObjectNode out = Json.object();
        out.put("kind", type.listKind()).put("apiVersion", type.apiVersion());
        out.putObject("metadata").put("resourceVersion", Long.toString(l.resourceVersion()));
        ArrayNode items = out.putArray("items");
        l.items().forEach(items::add);
        if (wantsTable(r)) {
            send(r.ex(), 200, Tables.table(type, crdOf(type), l.items(), l.resourceVersion(), store.clock(), r.q("includeObject")));
        } else {
            send(r.ex(), 200, out);
        }
    }

    /** The CustomResourceDefinition that serves {@code type}, or null for a built-in kind. */
    private JsonNode crdOf(ResourceType type) {
        if (Resources.byKey(type.key()) != null) return null;
        return store.find(Resources.CRDS, null, type.plural() + "." + type.group());
    }

    private static boolean wantsTable(Req r) {
        String accept = r.ex().getRequestHeaders().getFirst("Accept");
        return accept != null && accept.contains("as=Table");
    }

    private void watch(Req r, ResourceType type, String ns, String name) throws IOException {
        Predicate<JsonNode> filter = Selector.labels(r.q("labelSelector")).and(Selector.fields(r.q("fieldSelector")));
        if (!name.isEmpty()) {
            filter = filter.and(o -> name.equals(Json.name(o)));
        }
        String rvText = r.q("resourceVersion");
        Long fromRv = rvText.isEmpty() ? null : parseRv(rvText);
        Long timeoutSeconds = r.query().int64("timeoutSeconds");
        long timeout = timeoutSeconds != null ? timeoutSeconds : 1800;
        boolean bookmarks = r.query().bool("allowWatchBookmarks");
        boolean table = wantsTable(r);
        JsonNode crd = table ? crdOf(type) : null;
        LinkedBlockingQueue<Store.Event> queue = new LinkedBlockingQueue<>();
        Store.Event stop = new Store.Event(-1, "STOP", type, Json.object());
        HttpExchange ex = r.ex();
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-cache, private");
        if (fromRv != null && fromRv != 0 && faults.takeGoneWatch()) {
            sendWatchError(ex, new ApiException(410, "Expired", "too old resource version: " + fromRv + " ("
                    + store.currentResourceVersion() + ")"));
            return;
        }
        Store.Subscription sub;
        try {
            sub = store.watch(type, ns, filter, fromRv, queue::add);
        } catch (ApiException gone) {
            sendWatchError(ex, gone);
            return;
        }
        Runnable unregister = faults.onWatch(() -> queue.add(stop));
        try {
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
            long lastRv = fromRv == null ? store.currentResourceVersion() : fromRv;
            if (bookmarks && queue.isEmpty()) {
                // tells a client at once that its watch is established (client-go and fabric8 count a watch as
                // live once something arrives); real servers send bookmarks about once a minute
                writeLine(out, bookmark(type, Math.max(lastRv, 0)));
            }
            while (System.nanoTime() < deadline) {
                Store.Event e = queue.poll(bookmarks ? 5 : 1, TimeUnit.SECONDS);
                if (e == stop) {
                    return;
                }
                if (e == null) {
                    if (bookmarks) {
                        writeLine(out, bookmark(type, Math.max(lastRv, 0)));
                    }
                    continue;
                }
                lastRv = e.rv();
                ObjectNode ev = Json.object();
                ev.put("type", e.type());
                ev.set("object", table ? Tables.table(type, crd, List.of(e.object()), e.rv(), store.clock(), r.q("includeObject")) : e.object());
                writeLine(out, ev);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } finally {
            sub.close();
            unregister.run();
        }
    }

    /** A watch that ends at once with an ERROR event, as the API server reports an expired resourceVersion. */
    private static void sendWatchError(HttpExchange ex, ApiException e) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        ObjectNode ev = Json.object();
        ev.put("type", "ERROR");
        ev.set("object", status(e));
        writeLine(ex.getResponseBody(), ev);
    }

    private static ObjectNode bookmark(ResourceType type, long rv) {
        ObjectNode ev = Json.object();
        ev.put("type", "BOOKMARK");
        ObjectNode o = ev.putObject("object");
        o.put("kind", type.kind()).put("apiVersion", type.apiVersion());
        o.putObject("metadata").put("resourceVersion", Long.toString(rv));
        return ev;
    }

    private static void writeLine(OutputStream out, JsonNode node) throws IOException {
        out.write(Json.bytes(node));
        out.write('\n');
        out.flush();
    }

    private static Long parseRv(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid resource version: " + s);
        }
    }

    private ObjectNode body(Req r, ResourceType type) throws IOException {
        return decode(r, r.ex().getRequestBody().readAllBytes(), Resources.byKey(type.key()) != null);
    }

    /**
     * A request body by its Content-Type: JSON (also when none is given), YAML, or for built-in kinds Kubernetes
     * protobuf; anything else is 415 listing what the server accepts, as kube-apiserver answers it (custom resources
     * take no protobuf).
     */
    private ObjectNode decode(Req r, byte[] bytes, boolean builtIn) {
        String header = r.ex().getRequestHeaders().getFirst("Content-Type");
        String media = header == null ? "" : header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        JsonNode n;
        switch (media) {
            case "", "application/json" -> n = Json.parse(bytes);
            case "application/yaml" -> n = Json.parseYaml(new String(bytes, StandardCharsets.UTF_8));
            default -> {
                if (media.equals(Protobuf.MEDIA_TYPE) && builtIn) {
                    n = Protobuf.decode(bytes);
                } else {
                    throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                            + "accepted media types include: application/json, application/yaml" + (builtIn ? ", " + Protobuf.MEDIA_TYPE : ""));
                }
            }
        }
        if (n == null || !n.isObject()) {
            throw ApiException.badRequest("the request body must be an object");
        }
        return (ObjectNode) n;
    }

    private void create(Req r, ResourceType type, String ns) throws IOException {
        ObjectNode obj = body(r, type);
        checkKind(type, obj);
        for (String f : List.of("creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "uid")) {
            Json.meta(obj).remove(f); // the server sets these (FillObjectMetaSystemFields)
        }
        if (type.hasStatus() && type != Resources.NAMESPACES) {
            obj.remove("status"); // PrepareForCreate: a kind with a status subresource starts without one
        }
        if (type == Resources.EVENTS) {
            String namespace = ns.isEmpty() ? Json.str(obj, "", "metadata", "namespace") : ns;
            String involved = Json.str(obj, "", "involvedObject", "namespace");
            if (!involved.isEmpty() && !involved.equals(namespace)) {
                throw ApiException.invalid("Event \"" + Json.name(obj) + "\" is invalid: involvedObject.namespace: Invalid value: \""
                        + involved + "\": does not match event.namespace");
            }
            if (!Json.str(obj, "", "eventTime").isEmpty()) {
                // the API server's rules for a "new" Event (one with eventTime), also when sent as core/v1
                for (String f : List.of("reportingComponent", "reportingInstance", "action", "reason")) {
                    if (Json.str(obj, "", f).isEmpty()) {
                        throw ApiException.invalid("Event \"" + Json.name(obj) + "\" is invalid: " + f + ": Required value");
                    }
                }
                if (Json.str(obj, "", "message").getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 1024) {
                    throw ApiException.invalid("Event \"" + Json.name(obj) + "\" is invalid: message: Too long: may not be more than 1024 bytes");
                }
            }
        }
        admit(type, obj);
        if (r.dryRun()) {
            Json.meta(obj).put("namespace", ns);
            send(r.ex(), 201, obj);
            return;
        }
        ObjectNode created = store.create(type, ns, obj);
        afterWrite(type, created, false);
        send(r.ex(), 201, created);
    }

    private void update(Req r, ResourceType type, String ns, String name, String sub) throws IOException {
        ObjectNode obj = body(r, type);
        if (sub.equals("scale")) {
            int replicas = obj.path("spec").path("replicas").asInt();
            String rv = Json.str(obj, "", "metadata", "resourceVersion");
            ObjectNode result = store.mutate(type, ns, name, null, cur -> {
                if (!rv.isEmpty() && !rv.equals(Json.str(cur, "", "metadata", "resourceVersion"))) {
                    throw ApiException.conflict(type, name);
                }
                Json.with(cur, "spec").put("replicas", replicas);
                return true;
            });
            send(r.ex(), 200, toScale(type, result));
            return;
        }
        checkKind(type, obj);
        admit(type, obj);
        if (r.dryRun()) {
            send(r.ex(), 200, obj);
            return;
        }
        ObjectNode updated = store.update(type, ns, name, obj, sub.isEmpty() ? null : sub);
        afterWrite(type, updated, false);
        send(r.ex(), 200, updated);
    }

    private void patch(Req r, ResourceType type, String ns, String name, String sub) throws IOException {
        String header = r.ex().getRequestHeaders().getFirst("Content-Type");
        String ct = header == null ? "" : header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        byte[] raw = r.ex().getRequestBody().readAllBytes();
        boolean custom = resources.byStoreKey(type.key()) != null && Resources.byKey(type.key()) == null;
        List<String> accepted = custom
                ? List.of("application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml")
                : List.of("application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json",
                        "application/apply-patch+yaml");
        if (!accepted.contains(ct)) {
            throw new ApiException(415, "UnsupportedMediaType",
                    "the body of the request was in an unknown format - accepted media types include: " + String.join(", ", accepted));
        }
        JsonNode patch = ct.contains("apply-patch") ? Json.parseYaml(new String(raw, StandardCharsets.UTF_8)) : Json.parse(raw);
        if (ct.contains("apply-patch") && store.find(type, ns, name) == null && sub.isEmpty()) {
            ObjectNode obj = (ObjectNode) patch;
            Json.meta(obj).put("name", name);
            admit(type, obj);
            ObjectNode created = r.dryRun() ? obj : store.create(type, ns, obj);
            if (!r.dryRun()) afterWrite(type, created, false);
            send(r.ex(), 201, created);
            return;
        }
        for (int attempt = 0; ; attempt++) {
            ObjectNode cur = store.get(type, ns, name);
            String curRv = Json.str(cur, "", "metadata", "resourceVersion");
            JsonNode target = sub.equals("scale") ? toScale(type, cur) : cur;
            JsonNode patched;
            if (ct.contains("json-patch")) {
                patched = Patches.jsonPatch(target, patch);
            } else if (ct.contains("merge-patch") && !ct.contains("strategic")) {
                patched = Patches.mergePatch(target, patch);
            } else if (ct.contains("strategic-merge-patch")) {
                patched = Patches.strategicMerge(target, patch);
            } else if (ct.contains("apply-patch")) {
                patched = Patches.apply(target, patch);
            } else {
                throw new IllegalStateException("unreachable: " + ct);
            }
            if (!patched.isObject()) throw ApiException.badRequest("patch did not produce an object");
            ObjectNode next = (ObjectNode) patched;
            boolean userPrecondition = !Json.str(next, "", "metadata", "resourceVersion").equals(curRv);
            if (sub.equals("scale")) {
                ObjectNode full = cur.deepCopy();
                Json.with(full, "spec").set("replicas", next.path("spec").path("replicas"));
                Json.meta(full).put("resourceVersion", Json.str(next, curRv, "metadata", "resourceVersion"));
                next = full;
            }
            if (Json.str(next, "", "metadata", "resourceVersion").isEmpty()) {
                Json.meta(next).put("resourceVersion", curRv);
            }
            admit(type, next);
            if (r.dryRun()) {
                send(r.ex(), 200, sub.equals("scale") ? toScale(type, next) : next);
                return;
            }
            try {
                ObjectNode updated = store.update(type, ns, name, next, sub.equals("status") ? "status" : null);
                afterWrite(type, updated, false);
                send(r.ex(), 200, sub.equals("scale") ? toScale(type, updated) : updated);
                return;
            } catch (ApiException e) {
                if (e.code() != 409 || userPrecondition || attempt > 5) throw e;
            }
        }
    }

    /** The kinds whose delete answers with the object (their registries set ReturnDeletedObject); others get a Status. */
    private static final java.util.Set<ResourceType> RETURNS_DELETED_OBJECT =
            java.util.Set.of(Resources.NAMESPACES, Resources.PODS, Resources.SERVICES, Resources.SERVICE_ACCOUNTS);

    private DeleteOptions deleteOptions(Req r, ResourceType type) throws IOException {
        byte[] raw = r.ex().getRequestBody().readAllBytes();
        return DeleteOptions.read(raw.length == 0 ? null : decode(r, raw, Resources.byKey(type.key()) != null), r.query());
    }

    private void delete(Req r, ResourceType type, String ns, String name) throws IOException {
        DeleteOptions o = deleteOptions(r, type);
        if (o.dryRun()) {
            send(r.ex(), 200, deleted(type, store.get(type, ns, name), o));
            return;
        }
        ObjectNode gone = store.delete(type, ns, name, o.propagation(), o.preconditions());
        afterWrite(type, gone, true);
        send(r.ex(), 200, deleted(type, gone, o));
    }

    /**
     * What a delete answers: the object while the garbage collector still holds it (foreground and orphan deletion
     * leave it with a finalizer for a moment) or for the kinds that return it, else a Status naming it.
     */
    private static JsonNode deleted(ResourceType type, ObjectNode obj, DeleteOptions o) {
        if (o.propagation() != Store.Propagation.BACKGROUND || RETURNS_DELETED_OBJECT.contains(type)) {
            return obj;
        }
        ObjectNode st = Json.object();
        st.put("kind", "Status").put("apiVersion", "v1");
        st.putObject("metadata");
        st.put("status", "Success");
        ObjectNode details = st.putObject("details");
        details.put("name", Json.name(obj));
        if (!type.group().isEmpty()) details.put("group", type.group());
        details.put("kind", type.plural()).put("uid", Json.str(obj, "", "metadata", "uid"));
        return st;
    }

    /** Deletes what the selectors match and answers with the list of the deleted objects, as a real server does. */
    private void deleteCollection(Req r, ResourceType type, String ns) throws IOException {
        DeleteOptions o = deleteOptions(r, type);
        Predicate<JsonNode> filter = Selector.labels(r.q("labelSelector")).and(Selector.fields(r.q("fieldSelector")));
        ObjectNode out = Json.object();
        out.put("kind", type.listKind()).put("apiVersion", type.apiVersion());
        ArrayNode items = out.putArray("items");
        for (ObjectNode obj : store.list(type, ns, filter).items()) {
            if (o.dryRun()) {
                items.add(obj);
                continue;
            }
            try {
                ObjectNode gone = store.delete(type, Json.namespace(obj), Json.name(obj), o.propagation(), null);
                afterWrite(type, gone, true);
                items.add(gone);
            } catch (ApiException e) {
                if (e.code() != 404) throw e; // collected as a dependent of an earlier one
            }
        }
        out.putObject("metadata").put("resourceVersion", Long.toString(store.currentResourceVersion()));
        send(r.ex(), 200, out);
    }

    private void review(Req r, ResourceType type) throws IOException {
        ObjectNode obj = body(r, type);
        obj.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        Json.meta(obj).put("creationTimestamp", (String) null);
        ObjectNode answer = switch (type.kind()) {
            case "SelfSubjectAccessReview" -> authz.review(r.user(), obj);
            case "SelfSubjectRulesReview" -> authz.rules(r.user(), obj);
            default -> {
                ObjectNode ui = Json.with(obj, "status", "userInfo");
                ui.put("username", r.user().name());
                ArrayNode groups = ui.putArray("groups");
                r.user().groups().forEach(groups::add);
                yield obj;
            }
        };
        send(r.ex(), 201, answer);
    }

    private static void checkKind(ResourceType type, ObjectNode obj) {
        String kind = obj.path("kind").asText(type.kind());
        if (!kind.equals(type.kind())) {
            throw ApiException.badRequest("the kind of the object (" + kind + ") does not match the resource (" + type.kind() + ")");
        }
    }

    /**
     * Admission of a written object: built-in kinds are first normalized the way decoding into typed objects
     * normalizes them on a real server, then validated.
     */
    private void admit(ResourceType type, ObjectNode obj) {
        if (Resources.byKey(type.key()) == type) {
            normalize(type, obj);
        }
        validate(type, obj);
    }

    /**
     * A JSON null is an unset field, and a container's empty {@code resources} is no requirement at all. Typed
     * clients send both (kubectl's {@code rollout undo} patches in a pod template with
     * {@code "creationTimestamp": null} and {@code "resources": {}}); without this the restored template would
     * not equal the template of the ReplicaSet it came from.
     */
    private static void normalize(ResourceType type, ObjectNode obj) {
        PodTemplates.dropNulls(obj);
        PodTemplates.dropEmptyResources(type == Resources.PODS ? obj.path("spec") : obj.path("spec").path("template").path("spec"));
    }

    /** Just enough validation that kubectl's and Shipdeck's mistakes come back as 422, as on a real server. */
    private void validate(ResourceType type, ObjectNode obj) {
        String name = Json.name(obj);
        if (!name.isEmpty() && !name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            throw ApiException.invalid(type.kind() + " \"" + name + "\" is invalid: metadata.name: Invalid value: \"" + name
                    + "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'");
        }
        JsonNode replicas = Json.at(obj, "spec", "replicas");
        if (replicas != null && !replicas.isNull() && (!replicas.canConvertToInt() || replicas.asInt() < 0)) {
            throw ApiException.invalid(type.kind() + ".apps \"" + name + "\" is invalid: spec.replicas: Invalid value: "
                    + replicas + ": must be greater than or equal to 0");
        }
        if (type == Resources.DEPLOYMENTS || type == Resources.REPLICA_SETS) {
            JsonNode sel = Json.at(obj, "spec", "selector");
            JsonNode labels = Json.at(obj, "spec", "template", "metadata", "labels");
            if (sel == null || sel.isNull()) {
                throw ApiException.invalid(type.kind() + ".apps \"" + name + "\" is invalid: spec.selector: Required value");
            }
            if (!Selector.matches(sel, labels)) {
                throw ApiException.invalid(type.kind() + ".apps \"" + name
                        + "\" is invalid: spec.template.metadata.labels: Invalid value: " + labels
                        + ": `selector` does not match template `labels`");
            }
            if (type == Resources.DEPLOYMENTS) {
                for (String f : List.of("maxSurge", "maxUnavailable")) {
                    JsonNode v = Json.at(obj, "spec", "strategy", "rollingUpdate", f);
                    if (v != null && v.isTextual() && !v.asText().matches("[0-9]+%")) {
                        throw ApiException.invalid("Deployment.apps \"" + name + "\" is invalid: spec.strategy.rollingUpdate." + f
                                + ": Invalid value: \"" + v.asText() + "\": a valid percent string must be a numeric string followed by an ending '%' "
                                + "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
                    }
                }
            }
            JsonNode containers = Json.at(obj, "spec", "template", "spec", "containers");
            if (containers == null || !containers.isArray() || containers.isEmpty()) {
                throw ApiException.invalid(type.kind() + ".apps \"" + name + "\" is invalid: spec.template.spec.containers: Required value");
            }
            for (JsonNode c : containers) {
                if (c.path("image").asText().isEmpty()) {
                    throw ApiException.invalid(type.kind() + ".apps \"" + name
                            + "\" is invalid: spec.template.spec.containers[0].image: Required value");
                }
            }
        }
    }

    /** CRDs come into service (discovery) when created and disappear with their objects when deleted. */
    private void afterWrite(ResourceType type, ObjectNode obj, boolean deleted) {
        if (type != Resources.CRDS) return;
        if (deleted) {
            String group = Json.str(obj, "", "spec", "group");
            String plural = Json.str(obj, "", "spec", "names", "plural");
            ResourceType t = resources.byStoreKey(group + "/" + plural);
            if (t != null) {
                for (ObjectNode o : store.list(t, null, x -> true).items()) {
                    store.delete(t, Json.namespace(o), Json.name(o));
                }
            }
            resources.unregister(group, plural);
        } else {
            resources.register(obj);
            store.mutate(Resources.CRDS, null, Json.name(obj), "status", cur -> {
                ObjectNode st = Json.with(cur, "status");
                if (st.has("conditions")) return false;
                ArrayNode conds = st.putArray("conditions");
                for (String c : List.of("NamesAccepted", "Established")) {
                    conds.addObject().put("type", c).put("status", "True").put("reason", c.equals("Established") ? "InitialNamesAccepted" : "NoConflicts")
                            .put("lastTransitionTime", store.clock().timestamp()).put("message", c.equals("Established") ? "the initial names have been accepted" : "no conflicts found");
                }
                st.set("acceptedNames", cur.path("spec").path("names"));
                ArrayNode stored = st.putArray("storedVersions");
                cur.path("spec").path("versions").forEach(v -> { if (v.path("storage").asBoolean()) stored.add(v.path("name").asText()); });
                return true;
            });
        }
        onCrdChange.run();
    }

    /** The autoscaling/v1 Scale view of a workload. */
    private ObjectNode toScale(ResourceType type, ObjectNode obj) {
        ObjectNode s = Json.object();
        s.put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode m = s.putObject("metadata");
        for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (obj.path("metadata").has(f)) m.set(f, obj.path("metadata").get(f));
        }
        s.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
        ObjectNode st = s.putObject("status");
        st.put("replicas", obj.path("status").path("replicas").asInt(0));
        JsonNode selStr = obj.path("status").get("selector");
        st.put("selector", selStr != null && selStr.isTextual() ? selStr.asText() : Selector.toQuery(obj.path("spec").path("selector")));
        return s;
    }

    // ---------------------------------------------------------------- responses

    static ObjectNode status(ApiException e) {
        ObjectNode st = Json.object();
        st.put("kind", "Status").put("apiVersion", "v1");
        st.putObject("metadata");
        st.put("status", "Failure").put("message", e.getMessage()).put("reason", e.reason()).put("code", e.code());
        return st;
    }

    static void sendStatus(HttpExchange ex, ApiException e) {
        try {
            send(ex, e.code(), status(e));
        } catch (IOException | RuntimeException ignored) {
            // the client is gone or the headers were already sent
        }
    }

    static void send(HttpExchange ex, int code, JsonNode body) throws IOException {
        byte[] bytes = Json.bytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sendText(HttpExchange ex, int code, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
