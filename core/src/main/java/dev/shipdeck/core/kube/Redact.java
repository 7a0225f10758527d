package dev.shipdeck.core.kube;

import java.util.regex.Pattern;

/** Removes credentials from text before it reaches a log, an error message or a file. */
public final class Redact {
    /** A bearer credential: long enough to be one (so "returns a bearer token" stays readable). */
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern FIELDS = Pattern.compile(
            "(?i)(\"?(?:token|id-token|refresh-token|access-token|password|client-key-data|client-secret)\"?\\s*[:=]\\s*\"?)([^\\s\",}]+)");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*");
    private static final Pattern PEM_KEY = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]*PRIVATE KEY-----");

    private Redact() {}

    public static String text(String s) {
        if (s == null) return "";
        String out = PEM_KEY.matcher(s).replaceAll("[private key redacted]");
        out = BEARER.matcher(out).replaceAll("$1[redacted]");
        out = FIELDS.matcher(out).replaceAll("$1[redacted]");
        out = JWT.matcher(out).replaceAll("[token redacted]");
        return out;
    }

    /** Also removes the given secrets verbatim (e.g. the tokens a kubeconfig holds). */
    public static String text(String s, Iterable<String> secrets) {
        String out = text(s);
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 6) {
                out = out.replace(secret, "[redacted]");
            }
        }
        return out;
    }
}
