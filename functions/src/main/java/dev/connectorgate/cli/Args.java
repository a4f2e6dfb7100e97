package dev.connectorgate.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A small parser for {@code --flag value}, {@code --switch} and positional arguments, strict about unknown flags. */
final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args() {
    }

    static Args parse(List<String> args, Set<String> valued, Set<String> switches) throws UsageError {
        Args a = new Args();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                a.positional.add(arg);
                continue;
            }
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            if (switches.contains(name) && inline == null) {
                a.values.put(name, "true");
            } else if (valued.contains(name)) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                        throw new UsageError(name + " needs a value");
                    }
                    v = args.get(++i);
                }
                a.values.put(name, v);
            } else {
                throw new UsageError("unknown option " + name);
            }
        }
        return a;
    }

    String value(String name) {
        return values.get(name);
    }

    String required(String name) throws UsageError {
        String v = values.get(name);
        if (v == null) {
            throw new UsageError("missing " + name + " FILE");
        }
        return v;
    }

    boolean on(String name) {
        return values.containsKey(name);
    }

    List<String> positional() {
        return positional;
    }
}
