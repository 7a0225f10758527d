package dev.shipdeck.cli;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.kube.AccessReview;
import dev.shipdeck.core.kube.Http;
import dev.shipdeck.core.model.Environment;
import dev.shipdeck.core.records.CommandRecords;
import dev.shipdeck.core.records.ReleaseRecords;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Advice for an RBAC refusal: whom to ask, and whether {@code --queue} is a way around it for this user. */
final class Permissions {
    private Permissions() {}

    /**
     * "ask for it, or queue the command with --queue" when the Shipdeck CRDs are installed and the user may create
     * ReleaseCommands in {@code namespace} (asked with a SelfSubjectAccessReview), else only "ask for it".
     */
    static String queueHint(Session session, Environment env, String namespace) {
        String ask = "ask an administrator of " + env.name() + " for that permission";
        if (namespace == null || namespace.isEmpty()) return ask;
        try {
            KubernetesClient client = session.clients().clientNow(env.context());
            if (!new CommandRecords(client).installed()) return ask;
            AccessReview.Answer a = AccessReview.ask(Http.of(client, session.clients().secrets()), "create", ReleaseRecords.GROUP,
                    "releasecommands", "", namespace, "");
            if (a.allowed()) {
                return ask + ", or let the Shipdeck agent run it: add --queue (you may create releasecommands in " + namespace + ")";
            }
        } catch (ShipdeckException e) {
            // the question itself failed: give the advice that needs no answer
        }
        return ask;
    }
}
