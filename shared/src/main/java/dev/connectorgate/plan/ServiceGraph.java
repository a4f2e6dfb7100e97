package dev.connectorgate.plan;

import dev.connectorgate.model.ServiceSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dependsOn graph of a request by index: predecessors, successors and a stable topological order.
 *
 * <p>Built once per problem so planners and checks work with int arrays rather than names.
 */
public final class ServiceGraph {
    private final List<ServiceSpec> services;
    private final int[][] predecessors;
    private final int[][] successors;
    private final int[] topologicalOrder;

    public ServiceGraph(List<ServiceSpec> services) {
        this.services = List.copyOf(services);
        int n = services.size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(services.get(i).name(), i);
        }
        predecessors = new int[n][];
        List<List<Integer>> succ = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            succ.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            predecessors[i] = services.get(i).dependsOn().stream().distinct().mapToInt(name -> {
                Integer j = index.get(name);
                if (j == null) {
                    throw new IllegalArgumentException("unknown dependency " + name);
                }
                return j;
            }).toArray();
            for (int p : predecessors[i]) {
                succ.get(p).add(i);
            }
        }
        successors = new int[n][];
        for (int i = 0; i < n; i++) {
            successors[i] = succ.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        topologicalOrder = kahn(n);
    }

    // Kahn's algorithm taking the lowest ready index first: stable with respect to request order.
    private int[] kahn(int n) {
        int[] indegree = new int[n];
        for (int i = 0; i < n; i++) {
            indegree[i] = predecessors[i].length;
        }
        java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            if (indegree[i] == 0) {
                ready.add(i);
            }
        }
        int[] order = new int[n];
        int k = 0;
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order[k++] = i;
            for (int s : successors[i]) {
                if (--indegree[s] == 0) {
                    ready.add(s);
                }
            }
        }
        if (k != n) {
            throw new IllegalArgumentException("dependsOn has a cycle");
        }
        return order;
    }

    /** Names the members of every dependency cycle among these specs (empty when acyclic), for validation. */
    public static List<List<String>> cycles(List<String> names, List<List<String>> dependsOn) {
        int n = names.size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.putIfAbsent(names.get(i), i);
        }
        int[][] adj = new int[n][];
        for (int i = 0; i < n; i++) {
            adj[i] = dependsOn.get(i).stream().filter(index::containsKey).mapToInt(index::get).toArray();
        }
        // Tarjan's strongly connected components; a component of size > 1, or a self-loop, is a cycle.
        int[] low = new int[n];
        int[] num = new int[n];
        Arrays.fill(num, -1);
        boolean[] onStack = new boolean[n];
        Deque<Integer> stack = new ArrayDeque<>();
        List<List<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (int i = 0; i < n; i++) {
            if (num[i] < 0) {
                strongConnect(i, adj, low, num, onStack, stack, counter, names, out);
            }
        }
        out.sort((a, b) -> Integer.compare(index.get(a.get(0)), index.get(b.get(0))));
        return out;
    }

    private static void strongConnect(int root, int[][] adj, int[] low, int[] num, boolean[] onStack,
            Deque<Integer> stack, int[] counter, List<String> names, List<List<String>> out) {
        // Iterative to survive 500-deep chains without a deep Java stack.
        Deque<int[]> work = new ArrayDeque<>();
        work.push(new int[] {root, 0});
        num[root] = low[root] = counter[0]++;
        stack.push(root);
        onStack[root] = true;
        while (!work.isEmpty()) {
            int[] frame = work.peek();
            int v = frame[0];
            if (frame[1] < adj[v].length) {
                int w = adj[v][frame[1]++];
                if (num[w] < 0) {
                    num[w] = low[w] = counter[0]++;
                    stack.push(w);
                    onStack[w] = true;
                    work.push(new int[] {w, 0});
                } else if (onStack[w]) {
                    low[v] = Math.min(low[v], num[w]);
                }
                continue;
            }
            work.pop();
            if (!work.isEmpty()) {
                int parent = work.peek()[0];
                low[parent] = Math.min(low[parent], low[v]);
            }
            if (low[v] == num[v]) {
                List<Integer> members = new ArrayList<>();
                int w;
                do {
                    w = stack.pop();
                    onStack[w] = false;
                    members.add(w);
                } while (w != v);
                boolean selfLoop = members.size() == 1 && Arrays.stream(adj[v]).anyMatch(x -> x == v);
                if (members.size() > 1 || selfLoop) {
                    members.sort(Integer::compare);
                    out.add(members.stream().map(names::get).toList());
                }
            }
        }
    }

    public int size() {
        return services.size();
    }

    public ServiceSpec service(int i) {
        return services.get(i);
    }

    public List<ServiceSpec> services() {
        return services;
    }

    public int[] predecessors(int i) {
        return predecessors[i];
    }

    public int[] successors(int i) {
        return successors[i];
    }

    /** A topological order, lowest request index first among the ready. */
    public int[] topologicalOrder() {
        return topologicalOrder.clone();
    }
}
