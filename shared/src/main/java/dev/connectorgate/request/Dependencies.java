package dev.connectorgate.request;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import dev.connectorgate.plan.ServiceGraph;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Checks the dependsOn lists of a request: every entry names another of its services, and no cycle forms. */
final class Dependencies {
    private final Set<String> names;
    // Name -> the references read from its dependsOn, first occurrence of a name only, in request order.
    private final Map<String, List<String>> edges = new LinkedHashMap<>();

    /** @param names every service name the request spells, valid or not: a reference to a bad name is not unknown */
    Dependencies(Set<String> names) {
        this.names = names;
    }

    /**
     * Reads one service's dependsOn, reporting entries that are not names of other services of the request.
     *
     * @param self the service's own name as written, or null when it has none
     * @return the entries that name other services
     */
    List<String> read(String path, JsonElement dependsOn, String self, Problems problems) {
        if (!dependsOn.isJsonArray()) {
            problems.wrong(path, "must be an array of service names", dependsOn);
            return List.of();
        }
        JsonArray entries = dependsOn.getAsJsonArray();
        List<String> references = new ArrayList<>();
        for (int j = 0; j < entries.size(); j++) {
            JsonElement entry = entries.get(j);
            String entryPath = path + "[" + j + "]";
            if (!(entry.isJsonPrimitive() && entry.getAsJsonPrimitive().isString())) {
                problems.wrong(entryPath, "must be a service name", entry);
            } else if (entry.getAsString().equals(self)) {
                problems.wrong(entryPath, "must name a service other than itself", entry);
            } else if (!names.contains(entry.getAsString())) {
                problems.wrong(entryPath, "must name a service of this request", entry);
            } else {
                references.add(entry.getAsString());
            }
        }
        return references;
    }

    /** Adds a service to the graph; a duplicate name keeps its first occurrence's edges, as name lookups do. */
    void declare(String name, List<String> references) {
        edges.putIfAbsent(name, references);
    }

    /**
     * Reports each cycle once, as a walk from its first member (in request order) through all its members and back.
     *
     * <p>A cycle here is a strongly connected group: when its members do not lie on one simple loop, the walk passes
     * some twice (a → b → a → c → a), which still names every member in an order the dependsOn edges allow.
     */
    void reportCycles(Problems problems) {
        List<String> named = new ArrayList<>(edges.keySet());
        List<List<String>> dependsOn = named.stream().map(edges::get).toList();
        for (List<String> members : ServiceGraph.cycles(named, dependsOn)) {
            problems.add("services", "dependsOn cycle " + String.join(" → ", walk(members)));
        }
    }

    private List<String> walk(List<String> members) {
        Set<String> group = new HashSet<>(members);
        String start = members.get(0);
        List<String> walk = new ArrayList<>(List.of(start));
        Set<String> visited = new HashSet<>(walk);
        String at = start;
        while (visited.size() < group.size()) {
            List<String> leg = shortestPath(at, name -> !visited.contains(name), group);
            walk.addAll(leg);
            visited.addAll(leg);
            at = leg.get(leg.size() - 1);
        }
        walk.addAll(shortestPath(at, start::equals, group));
        return walk;
    }

    // Breadth first inside the group, following dependsOn in the order written; the path excludes `from`.
    private List<String> shortestPath(String from, Predicate<String> isTarget, Set<String> group) {
        Map<String, String> cameFrom = new HashMap<>(Map.of(from, from));
        Deque<String> queue = new ArrayDeque<>(List.of(from));
        while (!queue.isEmpty()) {
            String node = queue.poll();
            for (String next : edges.get(node)) {
                if (!group.contains(next) || cameFrom.containsKey(next)) {
                    continue;
                }
                cameFrom.put(next, node);
                if (isTarget.test(next)) {
                    return pathTo(next, from, cameFrom);
                }
                queue.add(next);
            }
        }
        throw new IllegalStateException("a strongly connected group reaches every member: " + group);
    }

    private static List<String> pathTo(String target, String from, Map<String, String> cameFrom) {
        List<String> path = new ArrayList<>();
        for (String node = target; !node.equals(from); node = cameFrom.get(node)) {
            path.add(0, node);
        }
        return path;
    }
}
