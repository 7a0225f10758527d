package dev.shipdeck.agent;

import dev.shipdeck.core.kube.Redact;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * Leader election through a {@code coordination.k8s.io/v1} Lease, as client-go does it: the holder renews the lease
 * every retry period; another replica takes it over only when the lease has not changed for a whole lease duration
 * by its own clock (so clock skew between nodes does not matter), and every write carries the resourceVersion it
 * was computed from, so two replicas can never both win. A holder that cannot renew within the renew deadline stops
 * leading before anyone else may take over. Call {@link #tick()} every retry period from one thread.
 */
final class LeaseElector {
    /** Timing: a replica may take over after {@code leaseDuration}; the holder gives up after {@code renewDeadline}. */
    record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        Timing {
            if (renewDeadline.compareTo(leaseDuration) >= 0) {
                throw new IllegalArgumentException("the renew deadline (" + renewDeadline + ") must be shorter than the lease duration ("
                        + leaseDuration + ")");
            }
            if (retryPeriod.compareTo(renewDeadline) >= 0) {
                throw new IllegalArgumentException("the retry period (" + retryPeriod + ") must be shorter than the renew deadline ("
                        + renewDeadline + ")");
            }
        }

        static final Timing DEFAULT = new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String identity;
    private final Timing timing;
    private final Clock clock;
    private final AgentLog log;

    private String observedVersion = "";
    private Instant observedAt = Instant.EPOCH;
    private volatile Instant renewedAt = Instant.EPOCH;
    private volatile String holder = "";
    private boolean wasLeading;

    LeaseElector(KubernetesClient client, String namespace, String name, String identity, Timing timing, Clock clock, AgentLog log) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.identity = identity;
        this.timing = timing;
        this.clock = clock;
        this.log = log;
    }

    /** Whether this replica leads now: it holds the lease and renewed it within the renew deadline. */
    boolean leading() {
        return identity.equals(holder) && clock.instant().isBefore(renewedAt.plus(timing.renewDeadline()));
    }

    /** Acquires or renews the lease when it may; returns whether this replica leads afterwards. */
    boolean tick() {
        boolean before = wasLeading;
        try {
            attempt();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                log.warn("cannot read or write the leader lease", "lease", namespace + "/" + name, "code", e.getCode(),
                        "error", Redact.text(String.valueOf(e.getMessage())).split("\n")[0]);
            }
        }
        boolean now = leading();
        wasLeading = now;
        if (now != before) {
            log.info(now ? "leading: this agent writes the records" : "not leading any more: another agent writes the records",
                    "identity", identity, "lease", namespace + "/" + name);
        }
        return now;
    }

    private void attempt() {
        Lease lease = client.leases().inNamespace(namespace).withName(name).get();
        Instant now = clock.instant();
        if (lease == null) {
            Lease fresh = new Lease();
            fresh.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                    .addToLabels("app.kubernetes.io/managed-by", "shipdeck").build());
            fresh.setSpec(spec(null, now));
            Lease created = client.leases().inNamespace(namespace).resource(fresh).create();
            won(created, now);
            return;
        }
        String rv = lease.getMetadata().getResourceVersion();
        if (!Objects.equals(rv, observedVersion)) {
            observedVersion = rv;
            observedAt = now;
        }
        LeaseSpec spec = lease.getSpec() == null ? new LeaseSpec() : lease.getSpec();
        String current = spec.getHolderIdentity() == null ? "" : spec.getHolderIdentity();
        holder = current;
        Duration held = spec.getLeaseDurationSeconds() == null ? timing.leaseDuration() : Duration.ofSeconds(spec.getLeaseDurationSeconds());
        boolean someoneElse = !current.isEmpty() && !current.equals(identity);
        if (someoneElse && now.isBefore(observedAt.plus(held))) {
            return;
        }
        lease.setSpec(spec(spec, now));
        Lease updated = client.leases().inNamespace(namespace).resource(lease).update();
        won(updated, now);
    }

    private LeaseSpec spec(LeaseSpec previous, Instant now) {
        ZonedDateTime t = now.atZone(ZoneOffset.UTC);
        LeaseSpec s = new LeaseSpec();
        boolean renewal = previous != null && identity.equals(previous.getHolderIdentity());
        s.setHolderIdentity(identity);
        s.setLeaseDurationSeconds((int) timing.leaseDuration().toSeconds());
        s.setAcquireTime(renewal && previous.getAcquireTime() != null ? previous.getAcquireTime() : t);
        s.setRenewTime(t);
        int transitions = previous == null || previous.getLeaseTransitions() == null ? 0 : previous.getLeaseTransitions();
        s.setLeaseTransitions(renewal || previous == null ? transitions : transitions + 1);
        return s;
    }

    private void won(Lease lease, Instant now) {
        observedVersion = lease.getMetadata().getResourceVersion();
        observedAt = now;
        holder = identity;
        renewedAt = now;
    }

    /** On a clean stop: gives the lease up at once, so another replica need not wait for it to expire. */
    void release() {
        if (!leading()) return;
        try {
            Lease lease = client.leases().inNamespace(namespace).withName(name).get();
            if (lease != null && lease.getSpec() != null && identity.equals(lease.getSpec().getHolderIdentity())) {
                lease.getSpec().setHolderIdentity("");
                lease.getSpec().setLeaseDurationSeconds(1);
                client.leases().inNamespace(namespace).resource(lease).update();
                log.info("released the leader lease", "lease", namespace + "/" + name);
            }
        } catch (KubernetesClientException e) {
            log.warn("cannot release the leader lease; another agent takes over when it expires", "code", e.getCode());
        }
        holder = "";
    }
}
