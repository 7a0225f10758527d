package dev.shipdeck.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * The demo as a cluster where the Shipdeck agent has been recording releases for weeks: the Shipdeck CRDs installed
 * and Release records like the agent writes them (source {@code agent}, named {@code <workload>-<template hash>-<revision>}).
 *
 * <p>The last three days are the demo's ReplicaSets: one record per ReplicaSet revision, with its template hash, so the
 * records cover what the ReplicaSet history shows; the releases still running (the paused canaries) get none and stay
 * live. Before them lie about {@value #WEEKS} weeks of older releases whose ReplicaSets are gone (an earlier incarnation
 * of each workload): versions promoted dev → staging → prod, some that failed or were cancelled, restores, changes
 * restored soon after they went out, and commit times from the CI markers on most of them — what the insights measure.
 * Deterministic: the same demo every start, relative to its clock.
 */
final class DemoHistory {
    static final int WEEKS = 9;
    private static final String AGENT = "shipdeck-agent-6d9f7c";
    private static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod-eu");

    private DemoHistory() {}

    /** One release of one environment's lane, before it becomes a record. */
    private record Entry(String version, String previous, String hash, long revision, String uid, Instant started, Instant ended,
                         String phase, String message, boolean rollback, Instant commitTime, String commitSha) {}

    static void write(ClusterSim sim) {
        for (SimCluster cluster : sim.clusters()) {
            installCrds(cluster);
        }
        ResourceType releases = sim.clusters().get(0).store().resources().lookup("shipdeck.dev", "v1alpha1", "releases");
        Instant now = sim.clock().now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        for (Scenarios.Component comp : Scenarios.DEMO) {
            Older older = older(comp, now);
            for (SimCluster cluster : sim.clusters()) {
                List<Entry> lane = new ArrayList<>(older.lane(cluster.name()));
                recent(cluster, comp, lane, now);
                for (Entry e : lane) {
                    cluster.store().create(releases, comp.team(), record(cluster.name(), comp, e));
                }
            }
        }
    }

    private static void installCrds(SimCluster cluster) {
        for (String crd : List.of("releases.shipdeck.dev", "releasecommands.shipdeck.dev")) {
            try (InputStream in = DemoHistory.class.getResourceAsStream("crds/" + crd + ".yaml")) {
                if (in == null) throw new IllegalStateException(crd + " CRD resource missing from cluster-sim");
                cluster.apply(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ------------------------------------------------------------------ the weeks before the ReplicaSets

    /** The older releases of one component in every environment: the same versions, promoted one after another. */
    private record Older(List<Entry> dev, List<Entry> staging, List<Entry> prod) {
        List<Entry> lane(String cluster) {
            return switch (cluster) {
                case "dev" -> dev;
                case "staging" -> staging;
                case "prod-eu" -> prod;
                default -> List.of();
            };
        }
    }

    private static Older older(Scenarios.Component comp, Instant now) {
        Random random = new Random(comp.name().hashCode());
        Instant from = now.minus(Duration.ofDays(7L * WEEKS));
        Instant until = now.minus(Scenarios.HISTORY).minus(Duration.ofHours(12));
        List<String> versions = olderVersions(comp.versions().get(0), 18 + random.nextInt(12));
        Duration step = Duration.ofSeconds(Duration.between(from, until).dividedBy(versions.size()).toSeconds());
        List<List<Entry>> lanes = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        long[] revision = {0, 0, 0};
        String uid = uid(comp.name() + "-before");
        for (int i = 0; i < versions.size(); i++) {
            String version = versions.get(i);
            Instant devAt = from.plus(step.multipliedBy(i)).plus(Duration.ofMinutes(random.nextInt(240)));
            Duration lead = lead(comp.team(), random);
            boolean known = random.nextInt(100) < 85;
            Instant commit = devAt.minus(lead);
            Instant at = devAt;
            boolean failedBefore = false;
            for (int env = 0; env < 3; env++) {
                if (failedBefore) break; // a version that failed is not promoted further
                if (env == 1 && i % 3 == 1 || env == 2 && i % 3 != 0) continue; // not every version goes on
                if (env > 0) at = at.plus(Duration.ofHours(env == 1 ? 3 + random.nextInt(18) : 10 + random.nextInt(30)));
                if (!at.isBefore(until)) continue;
                List<Entry> lane = lanes.get(env);
                Entry last = lane.isEmpty() ? null : lane.get(lane.size() - 1);
                if (last != null && !at.isAfter(last.ended())) at = last.ended().plus(Duration.ofMinutes(20));
                String previous = last == null ? "" : lastGood(lane);
                Duration took = Duration.ofSeconds(comp.rollout() ? 1800 + random.nextInt(3600) : 120 + random.nextInt(600));
                int roll = random.nextInt(100);
                String hash = hash(comp.name() + "@" + version);
                String sha = sha(comp.name() + "@" + version);
                Instant committed = known ? commit : null;
                if (roll < 10) {
                    failedBefore = true;
                    // failed: the progress deadline (Deployments) or a person aborted the canary (Rollouts)
                    boolean aborted = comp.rollout();
                    Instant end = at.plus(aborted ? took.dividedBy(2) : Duration.ofMinutes(10));
                    lane.add(new Entry(version, previous, hash, ++revision[env], uid, at, end, aborted ? "CANCELLED" : "FAILED",
                            aborted ? "Rollout aborted update to revision " + revision[env] : "deployment \"" + comp.name()
                                    + "\" exceeded its progress deadline", false, committed, sha));
                    if (roll < 6 && !previous.isEmpty()) {
                        Instant back = end.plus(Duration.ofMinutes(8 + random.nextInt(80)));
                        lane.add(restore(comp, previous, version, ++revision[env], uid, back, random));
                    }
                } else {
                    Instant end = at.plus(took);
                    lane.add(new Entry(version, previous, hash, ++revision[env], uid, at, end, "SUCCESS", "", false, committed, sha));
                    if (roll > 94 && !previous.isEmpty()) {
                        // noticed after it went out: restored within hours
                        Instant back = end.plus(Duration.ofMinutes(30 + random.nextInt(300)));
                        lane.add(restore(comp, previous, version, ++revision[env], uid, back, random));
                    }
                }
            }
        }
        return new Older(lanes.get(0), lanes.get(1), lanes.get(2));
    }

    private static Entry restore(Scenarios.Component comp, String version, String from, long revision, String uid, Instant at, Random random) {
        Instant end = at.plus(Duration.ofSeconds(90 + random.nextInt(300)));
        return new Entry(version, from, hash(comp.name() + "@" + version), revision, uid, at, end, "SUCCESS", "", true, null,
                sha(comp.name() + "@" + version));
    }

    /** The newest version of a lane that did not fail (what a restore goes back to). */
    private static String lastGood(List<Entry> lane) {
        for (int i = lane.size() - 1; i >= 0; i--) {
            if (lane.get(i).phase().equals("SUCCESS")) return lane.get(i).version();
        }
        return lane.get(lane.size() - 1).version();
    }

    /** How long a team's commits wait before their first deploy: payments reviews longest, storefront ships fastest. */
    private static Duration lead(String team, Random random) {
        return switch (team) {
            case "payments" -> Duration.ofMinutes(240 + random.nextInt(1560));
            case "search" -> Duration.ofMinutes(60 + random.nextInt(420));
            default -> Duration.ofMinutes(20 + random.nextInt(160));
        };
    }

    /** {@code count} versions before {@code first}, oldest first: 4.0.3 → …, 3.9.3, 4.0.0, 4.0.1, 4.0.2. */
    static List<String> olderVersions(String first, int count) {
        String[] p = first.split("\\.");
        int major = Integer.parseInt(p[0]);
        int minor = Integer.parseInt(p[1]);
        int patch = Integer.parseInt(p[2].replaceAll("\\D.*", ""));
        List<String> out = new ArrayList<>();
        while (out.size() < count) {
            if (patch > 0) {
                patch--;
            } else if (minor > 0) {
                minor--;
                patch = 3;
            } else if (major > 0) {
                major--;
                minor = 9;
                patch = 3;
            } else {
                break;
            }
            out.add(0, major + "." + minor + "." + patch);
        }
        return out;
    }

    // ------------------------------------------------------------------ the ReplicaSets' three days

    /** One record per ReplicaSet revision of the component's workload in {@code cluster}; none for a release still running. */
    private static void recent(SimCluster cluster, Scenarios.Component comp, List<Entry> lane, Instant now) {
        ResourceType kind = comp.rollout() ? cluster.rollouts() : Resources.DEPLOYMENTS;
        if (kind == null) return;
        ObjectNode workload = cluster.store().find(kind, comp.team(), comp.name());
        if (workload == null) return;
        String uid = Json.meta(workload).path("uid").asText();
        String revisionKey = comp.rollout() ? "rollout.argoproj.io/revision" : DeploymentController.REVISION;
        String hashKey = comp.rollout() ? PodTemplates.ROLLOUTS_POD_TEMPLATE_HASH : PodTemplates.POD_TEMPLATE_HASH;
        List<ObjectNode> sets = new ArrayList<>(cluster.store().owned(Resources.REPLICA_SETS, comp.team(), uid, rs -> true));
        sets.sort(Comparator.comparingLong(rs -> Long.parseLong(Json.str(rs, "0", "metadata", "annotations", revisionKey))));
        String currentHash = currentHash(workload, sets, hashKey, comp.rollout());
        Random random = new Random((cluster.name() + comp.name()).hashCode());
        for (int i = 0; i < sets.size(); i++) {
            ObjectNode rs = sets.get(i);
            String hash = Json.str(rs, "", "metadata", "labels", hashKey);
            JsonNode labels = rs.path("spec").path("template").path("metadata").path("labels");
            String version = labels.path("shipdeck.dev/version").asText(labels.path("circleci.com/version").asText(""));
            Instant started = Instant.parse(Json.str(rs, now.toString(), "metadata", "creationTimestamp"));
            Entry last = lane.isEmpty() ? null : lane.get(lane.size() - 1);
            if (i == 0 && last != null) {
                // the demo made every workload at its start; the story has their first version go out after the older
                // ones, a day or so later (the record covers that ReplicaSet all the same: same template)
                Instant after = last.ended().plus(Duration.ofMinutes(360 + random.nextInt(1440)));
                if (after.isBefore(started)) started = after;
            }
            String previous = last == null ? "" : lastGood(lane);
            boolean current = hash.equals(currentHash) && i == sets.size() - 1;
            String phase = "SUCCESS";
            String message = "";
            Instant ended = started.plus(Duration.ofSeconds(comp.rollout() ? 1500 + random.nextInt(1200) : 100 + random.nextInt(300)));
            if (current) {
                String verdict = verdict(workload, comp.rollout());
                if (verdict == null) continue; // still running: the live workload tells its status
                phase = verdict;
                if (phase.equals("FAILED")) message = "deployment \"" + comp.name() + "\" exceeded its progress deadline";
            }
            if (i + 1 < sets.size()) {
                Instant next = Instant.parse(Json.str(sets.get(i + 1), now.toString(), "metadata", "creationTimestamp"));
                if (ended.isAfter(next)) ended = next;
            }
            if (ended.isAfter(now)) ended = now;
            Instant commit = random.nextInt(100) < 85 ? started.minus(lead(comp.team(), random)) : null;
            long revision = Long.parseLong(Json.str(rs, "0", "metadata", "annotations", revisionKey));
            lane.add(new Entry(version, previous, hash, revision, uid, started, ended, phase, message, false, commit,
                    sha(comp.name() + "@" + version)));
        }
    }

    private static String currentHash(ObjectNode workload, List<ObjectNode> sets, String hashKey, boolean rollout) {
        if (rollout) return Json.str(workload, "", "status", "currentPodHash");
        return sets.isEmpty() ? "" : Json.str(sets.get(sets.size() - 1), "", "metadata", "labels", hashKey);
    }

    /** SUCCESS or FAILED for a workload that finished its rollout; null while it is still running (or paused). */
    private static String verdict(ObjectNode workload, boolean rollout) {
        if (rollout) {
            String phase = Json.str(workload, "", "status", "phase");
            return phase.equals("Healthy") ? "SUCCESS" : phase.equals("Degraded") ? "FAILED" : null;
        }
        for (JsonNode c : workload.path("status").path("conditions")) {
            if (c.path("type").asText().equals("Progressing") && c.path("reason").asText().equals("ProgressDeadlineExceeded")) return "FAILED";
        }
        return Workloads.rolledOut(workload) ? "SUCCESS" : null;
    }

    // ------------------------------------------------------------------ the record

    private static ObjectNode record(String environment, Scenarios.Component comp, Entry e) {
        ObjectNode o = Json.object();
        o.put("apiVersion", "shipdeck.dev/v1alpha1").put("kind", "Release");
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", comp.name() + "-" + e.hash() + "-" + e.revision()).put("namespace", comp.team());
        meta.put("creationTimestamp", e.started().toString());
        meta.putObject("labels").put("app.kubernetes.io/managed-by", "shipdeck").put("shipdeck.dev/source", "agent")
                .put("shipdeck.dev/component-name", comp.name());
        ObjectNode spec = o.putObject("spec");
        spec.put("component", comp.name()).put("environment", environment).put("version", e.version());
        if (!e.previous().isEmpty()) spec.put("previousVersion", e.previous());
        spec.put("type", comp.rollout() ? "PROGRESSIVE" : "DEPLOYMENT").put("source", "agent").put("rollback", e.rollback());
        spec.putObject("workload").put("kind", comp.rollout() ? "Rollout" : "Deployment").put("name", comp.name())
                .put("uid", e.uid()).put("templateHash", e.hash()).put("revision", e.revision());
        ObjectNode trigger = spec.putObject("trigger");
        long pipeline = Math.abs((long) (comp.name() + e.version()).hashCode()) % 9000 + 1000;
        trigger.put("pipelineUrl", "https://ci.example.com/" + comp.team() + "/" + comp.name() + "/pipelines/" + pipeline);
        trigger.put("commitSha", e.commitSha());
        if (e.commitTime() != null) trigger.put("commitTime", e.commitTime().toString());
        ObjectNode status = o.putObject("status");
        status.put("phase", e.phase());
        if (!e.message().isEmpty()) status.put("message", e.message());
        if (e.phase().equals("FAILED")) status.put("failureReason", e.message());
        status.put("startedAt", e.started().toString()).put("endedAt", e.ended().toString());
        status.put("observedBy", AGENT);
        return o;
    }

    private static String hash(String text) {
        return sha(text).substring(0, 10);
    }

    private static String sha(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String uid(String text) {
        String h = sha(text);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-" + h.substring(20, 32);
    }
}
