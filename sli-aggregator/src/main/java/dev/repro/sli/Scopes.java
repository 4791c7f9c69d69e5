package dev.repro.sli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The scopes an observation counts in: {@code global}, then {@code service:}, {@code team:}, {@code repo:} from its labels. */
public final class Scopes {

    public static final String GLOBAL = "global";
    /** Label keys that give scopes, in order, and their scope prefixes. */
    public static final List<String> LABELS = List.of("service", "team", "repo");

    private Scopes() {
    }

    public static List<String> of(Map<String, String> labels) {
        List<String> scopes = new ArrayList<>(4);
        scopes.add(GLOBAL);
        for (String label : LABELS) {
            String value = labels == null ? null : labels.get(label);
            if (value != null && !value.isBlank()) {
                scopes.add(label + ":" + value.strip());
            }
        }
        return scopes;
    }

    public static boolean isValid(String scope) {
        if (GLOBAL.equals(scope)) {
            return true;
        }
        for (String label : LABELS) {
            if (scope.startsWith(label + ":") && scope.length() > label.length() + 1) {
                return true;
            }
        }
        return false;
    }
}
