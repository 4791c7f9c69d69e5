package dev.repro.sli;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import dev.repro.config.ConfigException;

/**
 * SLO targets per SLI and scope: a scope's own target, else the SLI's target for every scope,
 * else the contract's default. Parsed from one setting, a comma-separated list of
 * {@code <sli>=<target>} (all scopes) and {@code <sli>@<scope>=<target>} (one scope), e.g.
 * {@code replay_success_rate=0.95,replay_success_rate@service:payments=0.99}.
 */
public final class SliTargets {

    private final Map<Sli, Double> perSli;
    private final Map<String, Double> perScope;

    private SliTargets(Map<Sli, Double> perSli, Map<String, Double> perScope) {
        this.perSli = perSli;
        this.perScope = perScope;
    }

    public static SliTargets defaults() {
        return new SliTargets(new EnumMap<>(Sli.class), Map.of());
    }

    /** Parses {@code spec}; fails naming {@code key} on a bad entry. */
    public static SliTargets parse(String key, String spec) {
        Map<Sli, Double> perSli = new EnumMap<>(Sli.class);
        Map<String, Double> perScope = new HashMap<>();
        if (spec == null || spec.isBlank()) {
            return new SliTargets(perSli, Map.copyOf(perScope));
        }
        for (String raw : spec.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.lastIndexOf('=');
            if (eq <= 0) {
                throw new ConfigException(key + ": expected <sli>[@<scope>]=<target>, got '" + entry + "'");
            }
            String name = entry.substring(0, eq).strip();
            double target;
            try {
                target = Double.parseDouble(entry.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                throw new ConfigException(key + ": target of '" + name + "' must be a number, got '" + entry.substring(eq + 1) + "'");
            }
            int at = name.indexOf('@');
            String sliName = at < 0 ? name : name.substring(0, at);
            Sli sli = Sli.byId(sliName).orElseThrow(() -> new ConfigException(key + ": unknown SLI '" + sliName + "'"));
            if (!Double.isFinite(target) || target < 0 || (sli.kind() == Sli.Kind.RATIO && target > 1)) {
                throw new ConfigException(key + ": target of '" + name + "' must be "
                        + (sli.kind() == Sli.Kind.RATIO ? "between 0 and 1" : "0 or more") + ", got " + target);
            }
            if (at < 0) {
                perSli.put(sli, target);
            } else {
                String scope = name.substring(at + 1);
                if (!Scopes.isValid(scope)) {
                    throw new ConfigException(key + ": scope of '" + name + "' must be global, service:<s>, team:<t> or repo:<r>");
                }
                perScope.put(sli.id() + "@" + scope, target);
            }
        }
        return new SliTargets(perSli, Map.copyOf(perScope));
    }

    public double target(Sli sli, String scope) {
        Double own = perScope.get(sli.id() + "@" + scope);
        if (own != null) {
            return own;
        }
        return perSli.getOrDefault(sli, sli.defaultTarget());
    }
}
