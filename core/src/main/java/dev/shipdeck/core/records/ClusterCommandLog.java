package dev.shipdeck.core.records;

import dev.shipdeck.core.ShipdeckException;
import dev.shipdeck.core.commands.CommandLog;
import dev.shipdeck.core.commands.CommandRecord;
import dev.shipdeck.core.commands.InMemoryCommandLog;
import dev.shipdeck.core.kube.KubeClients;
import dev.shipdeck.core.model.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records every command run as a ReleaseCommand in the cluster it ran against (who, what, when, outcome), so the
 * whole team sees the same audit. Where the CRD is not installed, or the record cannot be written, the entry is
 * kept in memory instead and the command's outcome is unaffected.
 */
public final class ClusterCommandLog implements CommandLog {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCommandLog.class);
    private static final Duration CHECK_AGAIN = Duration.ofMinutes(1);

    private record Installed(boolean yes, Instant at) {}

    private final KubeClients clients;
    private final List<Environment> environments;
    private final Clock clock;
    private final InMemoryCommandLog memory = new InMemoryCommandLog();
    private final Map<String, Installed> installed = new ConcurrentHashMap<>();

    public ClusterCommandLog(KubeClients clients, List<Environment> environments, Clock clock) {
        this.clients = clients;
        this.environments = List.copyOf(environments);
        this.clock = clock;
    }

    @Override
    public void record(CommandRecord r) {
        Environment env = environment(r.environment());
        if (env != null && installed(env)) {
            ReleaseCommandRecord rec = new ReleaseCommandRecord(
                    RecordNames.of(r.component(), r.action().name(), r.id().length() > 8 ? r.id().substring(0, 8) : r.id()),
                    r.namespace(), "",
                    new ReleaseCommandRecord.Spec(r.action(), r.environment(), r.component(), r.workload(), r.args(), r.who(),
                            r.at(), false, "", r.reason()),
                    new ReleaseCommandRecord.Status(CommandPhase.of(r.outcome()), r.message(), r.at(), r.at(), r.who()));
            try {
                new CommandRecords(clients.clientNow(env.context())).create(rec);
                return;
            } catch (ShipdeckException e) {
                LOG.warn("cannot record the command in the cluster, keeping it in memory: {}", e.oneLine());
            }
        }
        memory.record(r);
    }

    @Override
    public List<CommandRecord> history(String environment, String component) {
        List<CommandRecord> out = new ArrayList<>(memory.history(environment, component));
        for (Environment env : environments) {
            if (environment != null && !environment.equals(env.name())) continue;
            if (!installed(env)) continue;
            try {
                for (ReleaseCommandRecord r : new CommandRecords(clients.clientNow(env.context())).list(env)) {
                    CommandRecord c = r.toCommandRecord(env.name());
                    if (c != null && (component == null || component.equals(c.component()))) out.add(c);
                }
            } catch (ShipdeckException e) {
                LOG.warn("cannot read the command records of {}: {}", env.name(), e.oneLine());
            }
        }
        out.sort(Comparator.comparing(CommandRecord::at).reversed());
        return out;
    }

    private Environment environment(String name) {
        return environments.stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
    }

    private boolean installed(Environment env) {
        Installed known = installed.get(env.context());
        if (known != null && known.at().plus(CHECK_AGAIN).isAfter(clock.instant())) return known.yes();
        boolean yes;
        try {
            yes = new CommandRecords(clients.clientNow(env.context())).installed();
        } catch (ShipdeckException e) {
            yes = false;
        }
        installed.put(env.context(), new Installed(yes, clock.instant()));
        return yes;
    }
}
