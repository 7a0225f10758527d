package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the few protobuf bodies kubectl's typed clients send (access reviews). Kubernetes wraps them in a
 * {@code k8s\0} magic and a {@code runtime.Unknown} envelope: 1 = TypeMeta, 2 = raw message bytes.
 */
final class Protobuf {
    private static final byte[] MAGIC = {'k', '8', 's', 0};

    private Protobuf() {}

    /** Decodes an access-review body into the JSON object the server would have received. */
    static ObjectNode decodeReview(byte[] body, ResourceType type) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (body.length < 4 || body[i] != MAGIC[i]) {
                throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format");
            }
        }
        Map<Integer, byte[]> envelope = fields(body, 4, body.length);
        byte[] raw = envelope.getOrDefault(2, new byte[0]);
        Map<Integer, byte[]> review = fields(raw, 0, raw.length);
        ObjectNode obj = Json.object();
        obj.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        ObjectNode spec = obj.putObject("spec");
        byte[] specBytes = review.getOrDefault(2, new byte[0]);
        Map<Integer, byte[]> s = fields(specBytes, 0, specBytes.length);
        if (type.kind().equals("SelfSubjectAccessReview") && s.containsKey(1)) {
            byte[] raBytes = s.get(1);
            Map<Integer, byte[]> ra = fields(raBytes, 0, raBytes.length);
            ObjectNode attrs = spec.putObject("resourceAttributes");
            String[] names = {null, "namespace", "verb", "group", "version", "resource", "subresource", "name"};
            for (int f = 1; f < names.length; f++) {
                if (ra.containsKey(f)) attrs.put(names[f], new String(ra.get(f), StandardCharsets.UTF_8));
            }
        } else if (type.kind().equals("SelfSubjectAccessReview") && s.containsKey(2)) {
            byte[] nr = s.get(2);
            Map<Integer, byte[]> n = fields(nr, 0, nr.length);
            ObjectNode attrs = spec.putObject("nonResourceAttributes");
            if (n.containsKey(1)) attrs.put("path", new String(n.get(1), StandardCharsets.UTF_8));
            if (n.containsKey(2)) attrs.put("verb", new String(n.get(2), StandardCharsets.UTF_8));
        } else if (type.kind().equals("SelfSubjectRulesReview") && s.containsKey(1)) {
            spec.put("namespace", new String(s.get(1), StandardCharsets.UTF_8));
        }
        return obj;
    }

    /** Length-delimited fields of one message (varint fields are skipped), last one wins. */
    private static Map<Integer, byte[]> fields(byte[] b, int from, int to) {
        Map<Integer, byte[]> out = new HashMap<>();
        int[] pos = {from};
        while (pos[0] < to) {
            long tag = varint(b, pos);
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (wire) {
                case 0 -> varint(b, pos);
                case 1 -> pos[0] += 8;
                case 5 -> pos[0] += 4;
                case 2 -> {
                    int len = (int) varint(b, pos);
                    if (len < 0 || pos[0] + len > to) throw ApiException.badRequest("malformed protobuf body");
                    byte[] v = new byte[len];
                    System.arraycopy(b, pos[0], v, 0, len);
                    out.put(field, v);
                    pos[0] += len;
                }
                default -> throw ApiException.badRequest("malformed protobuf body");
            }
        }
        return out;
    }

    private static long varint(byte[] b, int[] pos) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) throw ApiException.badRequest("malformed protobuf body");
            byte x = b[pos[0]++];
            result |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) return result;
        }
        throw ApiException.badRequest("malformed protobuf body");
    }
}
