package dev.connectorgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.functions.CloudEventsFunction;
import dev.connectorgate.functions.GateConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the Terraform module ({@code terraform/modules/connector-gate}) against the code it deploys: the entry points
 * exist and can be built by the framework, every setting {@link GateConfig} reads is set, the topic defaults are the
 * contract's, each function is triggered by the topic its entry point handles, and the source object is named by the
 * content hash. The .tf files are read as text: a small scanner finds blocks by their braces (strings, heredocs and
 * comments skipped), regexes read the attributes.
 */
class TerraformConsistencyTest {

    private static final String MODULE = "terraform/modules/connector-gate";
    private static final String FUNCTIONS_PACKAGE = "dev.connectorgate.functions";

    /**
     * Settings of GateConfig deliberately not set by the module, each with its reason. Keep this short: anything
     * listed here runs on GateConfig's default in the cloud.
     */
    private static final Map<String, String> INTENTIONALLY_UNSET = Map.of(
            GateConfig.ENVIRONMENT_FILE, "local runs only: when set, the functions run on the embedded default",
            GateConfig.DECISIONS_FILE, "local runs only: writes decisions to a file instead of publishing them",
            GateConfig.PUBSUB_EMULATOR_HOST, "tests only: publishes to the Pub/Sub emulator instead of Google");

    /** Entry point (simple class name) -> the contract's topic for it. */
    private static final Map<String, String> CONTRACT_TOPIC_OF = Map.of(
            "DeploymentRequestFunction", "gate-requests",
            "AlertFunction", "connector-alerts",
            "BuildEventFunction", "cloud-builds",
            "TickFunction", "gate-ticks");

    private static Path module;
    private static String tf;

    @BeforeAll
    static void readModule() throws IOException {
        module = repoRoot().resolve(MODULE);
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(module)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) {
                all.append(Files.readString(f)).append('\n');
            }
        }
        tf = all.toString();
        assertThat(tf).as("the module's .tf files in %s", module).contains("google_cloudfunctions2_function");
    }

    // ---- entry points ----------------------------------------------------------------------------------------------

    @Test
    void everyEntryPointIsACloudEventsFunctionTheFrameworkCanBuild() throws Exception {
        Set<String> named = new TreeSet<>();
        Matcher m = Pattern.compile("\\bentry_point\\s*=\\s*\"([^\"]+)\"").matcher(tf);
        while (m.find()) {
            named.add(m.group(1));
        }
        assertThat(named).as("entry points named in the module").isNotEmpty();
        for (String name : named) {
            Class<?> type = Class.forName(name, false, TerraformConsistencyTest.class.getClassLoader());
            assertThat(CloudEventsFunction.class.isAssignableFrom(type))
                    .as("%s implements CloudEventsFunction", name).isTrue();
            assertThat(Modifier.isAbstract(type.getModifiers())).as("%s is concrete", name).isFalse();
            assertThat(Modifier.isPublic(type.getModifiers())).as("%s is public", name).isTrue();
            assertThat(Modifier.isPublic(type.getConstructor().getModifiers()))
                    .as("%s has a public no-argument constructor", name).isTrue();
        }
        assertThat(named).as("every function the code has is deployed").containsAll(concreteFunctionsInCode());
    }

    @Test
    void eachFunctionIsTriggeredByTheTopicItsEntryPointHandles() {
        GateConfig defaults = GateConfig.from(Map.of());
        Map<String, String> configTopicOf = Map.of(
                "DeploymentRequestFunction", defaults.requestsTopic(),
                "AlertFunction", defaults.alertsTopic(),
                "BuildEventFunction", defaults.buildsTopic(),
                "TickFunction", defaults.ticksTopic());

        Map<String, String> topicNames = mapAttributes(localValue("topic_names"));
        Map<String, Map<String, String>> functions = objectEntries(localValue("functions"));
        assertThat(functions).as("local.functions").isNotEmpty();
        Map<String, String> triggeredBy = new TreeMap<>();
        for (Map.Entry<String, Map<String, String>> f : functions.entrySet()) {
            String entryPoint = unquote(f.getValue().get("entry_point"));
            String key = unquote(f.getValue().get("trigger_topic"));
            assertThat(topicNames).as("local.functions.%s.trigger_topic names a key of local.topic_names", f.getKey())
                    .containsKey(key);
            triggeredBy.put(simpleName(entryPoint), variableDefault(topicNames.get(key)));
        }
        assertThat(triggeredBy).as("entry point -> default name of the topic that triggers it (contract)")
                .isEqualTo(new TreeMap<>(CONTRACT_TOPIC_OF));
        assertThat(triggeredBy).as("entry point -> its trigger topic (GateConfig defaults)")
                .isEqualTo(new TreeMap<>(configTopicOf));

        // ...and the function resource really is built from those entries.
        String function = resource("google_cloudfunctions2_function", "gate");
        assertThat(attribute(function, "for_each")).isEqualTo("local.functions");
        String build = block(function, "build_config");
        assertThat(attribute(build, "entry_point")).isEqualTo("each.value.entry_point");
        String trigger = block(function, "event_trigger");
        assertThat(attribute(trigger, "event_type")).isEqualTo("\"google.cloud.pubsub.topic.v1.messagePublished\"");
        assertThat(attribute(trigger, "retry_policy")).isEqualTo("\"RETRY_POLICY_RETRY\"");
        assertThat(attribute(trigger, "pubsub_topic")).isEqualTo("local.topic_ids[each.value.trigger_topic]");
        assertThat(attribute(trigger, "service_account_email")).as("a trigger service account").isNotBlank();
        assertThat(localValue("topic_ids")).as("local.topic_ids is keyed like local.topic_names")
                .contains("local.topic_names");
    }

    // ---- environment -----------------------------------------------------------------------------------------------

    @Test
    void everySettingGateConfigReadsIsSetOrDeliberatelyLeftToItsDefault() throws Exception {
        Set<String> settings = gateConfigSettings();
        Map<String, String> environment = environmentOfTheFunctions();

        Set<String> missing = new TreeSet<>(settings);
        missing.removeAll(environment.keySet());
        missing.removeAll(INTENTIONALLY_UNSET.keySet());
        assertThat(missing).as("GateConfig settings the module does not set (set them in local.environment, or list"
                + " them with a reason in INTENTIONALLY_UNSET)").isEmpty();

        Set<String> unknown = new TreeSet<>(environment.keySet());
        unknown.removeAll(settings);
        assertThat(unknown).as("variables the module sets that GateConfig does not read (a typo?)").isEmpty();

        assertThat(settings).as("the allow-list names only GateConfig settings")
                .containsAll(INTENTIONALLY_UNSET.keySet());
        assertThat(environment.keySet()).as("settings that must not be set in the cloud")
                .doesNotContainAnyElementsOf(INTENTIONALLY_UNSET.keySet());
    }

    @Test
    void topicSettingsCarryTheContractsDefaultNames() {
        GateConfig defaults = GateConfig.from(Map.of());
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(GateConfig.REQUESTS_TOPIC, defaults.requestsTopic());
        expected.put(GateConfig.DECISIONS_TOPIC, defaults.decisionsTopic());
        expected.put(GateConfig.ALERTS_TOPIC, defaults.alertsTopic());
        expected.put(GateConfig.BUILDS_TOPIC, defaults.buildsTopic());
        expected.put(GateConfig.TICKS_TOPIC, defaults.ticksTopic());
        assertThat(expected.values()).as("GateConfig's defaults are the contract's names")
                .containsExactly("gate-requests", "gate-decisions", "connector-alerts", "cloud-builds", "gate-ticks");

        Map<String, String> environment = environmentOfTheFunctions();
        Map<String, String> topicNames = mapAttributes(localValue("topic_names"));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String expression = environment.get(e.getKey());
            assertThat(expression).as("%s is set", e.getKey()).isNotNull();
            assertThat(variableDefault(expression)).as("default of %s (%s)", e.getKey(), expression)
                    .isEqualTo(e.getValue());
            assertThat(topicNames.values()).as("the topic %s is created from the same variable", e.getKey())
                    .contains(expression);
        }
    }

    // ---- source ----------------------------------------------------------------------------------------------------

    @Test
    void theSourceObjectIsNamedByTheZipsContentHash() {
        String object = resource("google_storage_bucket_object", "source");
        String name = attribute(object, "name");
        String resolved = resolveLocals(name);
        Pattern hash = Pattern.compile("\\boutput_(md5|sha256|base64sha256)\\b|\\bfile(md5|sha256|base64sha256)\\(");
        assertThat(hash.matcher(resolved).find()).as("object name %s (resolved: %s) holds a content hash", name,
                resolved).isTrue();
        // Both ways of supplying the zip are hashed: the built one and a prebuilt one.
        String sourceHash = localValue(name.replaceAll(".*\\$\\{local\\.(\\w+)}.*", "$1"));
        assertThat(sourceHash).contains("output_sha256").contains("filesha256(var.source_zip_path)");

        String function = resource("google_cloudfunctions2_function", "gate");
        String storage = block(block(block(function, "build_config"), "source"), "storage_source");
        assertThat(attribute(storage, "object")).isEqualTo("google_storage_bucket_object.source.name");

        String archive = dataSource("archive_file", "source");
        assertThat(attribute(archive, "type")).isEqualTo("\"zip\"");
        assertThat(attribute(archive, "source_file")).as("the zip holds the one jar (source_file)")
                .isEqualTo("var.jar_path");
    }

    @Test
    void theScannerFailsLoudlyOnWhatItCannotFind() {
        // A guard for the guard: a renamed block must fail the test above, not silently pass it.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> resource("google_cloudfunctions2_function", "nope"))
                .isInstanceOf(AssertionError.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> localValue("no_such_local"))
                .isInstanceOf(AssertionError.class);
        String tricky = "a = \"}{\" # }\n b = <<-EOT\n }}\n EOT\n c = \"${x(\"}\")}\" }";
        assertThat(matchingBrace(tricky, -1))
                .as("braces in strings, comments, heredocs and interpolations are not structure")
                .isEqualTo(tricky.length() - 1);
        assertThat(mapAttributes("{\n a = \"x\" # a comment\n b = { c = 1 }\n}"))
                .containsEntry("a", "\"x\"").containsEntry("b", "{ c = 1 }").hasSize(2);
    }

    // ---- what the code declares ------------------------------------------------------------------------------------

    /** GateConfig's public static final String constants whose values look like environment variable names. */
    private static Set<String> gateConfigSettings() throws IllegalAccessException {
        Set<String> names = new TreeSet<>();
        for (Field f : GateConfig.class.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && Modifier.isFinal(mod)
                    && f.getType() == String.class) {
                String value = (String) f.get(null);
                if (value.matches("[A-Z][A-Z0-9]*(_[A-Z0-9]+)+")) {
                    names.add(value);
                }
            }
        }
        assertThat(names).as("settings found on GateConfig").contains(GateConfig.REQUESTS_TOPIC);
        return names;
    }

    /** The concrete CloudEventsFunction classes of the functions package, from the compiled classes. */
    private static Set<String> concreteFunctionsInCode() throws IOException, URISyntaxException {
        // Where the main classes are (target/classes), not the first directory of that package (test classes too).
        URL root = GateConfig.class.getProtectionDomain().getCodeSource().getLocation();
        Path dir = Path.of(root.toURI()).resolve(FUNCTIONS_PACKAGE.replace('.', '/'));
        assertThat(dir).as("the compiled functions package").isDirectory();
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String file = f.getFileName().toString();
                if (!file.endsWith(".class") || file.contains("$")) {
                    continue;
                }
                String name = FUNCTIONS_PACKAGE + "." + file.substring(0, file.length() - ".class".length());
                try {
                    Class<?> type = Class.forName(name, false, TerraformConsistencyTest.class.getClassLoader());
                    if (CloudEventsFunction.class.isAssignableFrom(type) && !Modifier.isAbstract(type.getModifiers())) {
                        found.add(name);
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new AssertionError("cannot load " + name, e);
                }
            }
        }
        assertThat(found).as("CloudEventsFunctions in %s", FUNCTIONS_PACKAGE).isNotEmpty();
        return found;
    }

    // ---- what the module declares ----------------------------------------------------------------------------------

    /** local.environment, checked to be what the function resource passes as its environment. */
    private static Map<String, String> environmentOfTheFunctions() {
        String service = block(resource("google_cloudfunctions2_function", "gate"), "service_config");
        assertThat(attribute(service, "environment_variables")).isEqualTo("local.environment");
        String value = localValue("environment");
        int open = value.indexOf('{');
        assertThat(open).as("local.environment is a map literal (inside merge)").isGreaterThanOrEqualTo(0);
        return mapAttributes(value.substring(open, matchingBrace(value, open) + 1));
    }

    /** The default of var.NAME, for an expression that is exactly var.NAME; a string default is returned unquoted. */
    private static String variableDefault(String expression) {
        Matcher m = Pattern.compile("var\\.(\\w+)").matcher(expression.trim());
        assertThat(m.matches()).as("%s is a plain variable reference", expression).isTrue();
        String body = block(tf, "variable \"" + m.group(1) + "\"");
        String value = attribute(body, "default");
        assertThat(value).as("var.%s has a default", m.group(1)).isNotNull();
        return unquote(value);
    }

    /** Replaces ${local.X} by X's value, one level deep. */
    private static String resolveLocals(String expression) {
        Matcher m = Pattern.compile("local\\.(\\w+)").matcher(expression);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(localValue(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String resource(String type, String name) {
        return block(tf, "resource \"" + type + "\" \"" + name + "\"");
    }

    private static String dataSource(String type, String name) {
        return block(tf, "data \"" + type + "\" \"" + name + "\"");
    }

    /** The expression a local is set to, from whichever locals block holds it. */
    private static String localValue(String name) {
        List<String> found = new ArrayList<>();
        for (String locals : blocks(tf, "locals")) {
            Optional.ofNullable(attribute(locals, name)).ifPresent(found::add);
        }
        assertThat(found).as("local.%s is defined once", name).hasSize(1);
        return found.get(0);
    }

    /** The top-level entries of a map or object literal {@code { k = expr ... }}, values as written. */
    private static Map<String, String> mapAttributes(String literal) {
        String body = literal.trim();
        assertThat(body).as("a map literal").startsWith("{");
        body = body.substring(1, matchingBrace(body, 0));
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<Integer, String> e : topLevelKeys(body).entrySet()) {
            out.put(e.getValue(), expressionAt(body, e.getKey()));
        }
        return out;
    }

    /** The entries of a map of objects, each object's attributes as written. */
    private static Map<String, Map<String, String>> objectEntries(String literal) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        mapAttributes(literal).forEach((k, v) -> out.put(k, mapAttributes(v)));
        return out;
    }

    /** The body of the only block whose header is {@code header}, e.g. {@code resource "a" "b"} or {@code locals}. */
    private static String block(String text, String header) {
        List<String> found = blocks(text, header);
        assertThat(found).as("one block `%s`", header).hasSize(1);
        return found.get(0);
    }

    private static List<String> blocks(String text, String header) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(header) + "\\s*\\{").matcher(text);
        while (m.find()) {
            int open = m.end() - 1;
            if (isCode(text, open)) {
                out.add(text.substring(open + 1, matchingBrace(text, open)));
            }
        }
        return out;
    }

    /** The expression assigned to {@code name} at the top level of a block body (nested blocks not searched). */
    private static String attribute(String body, String name) {
        for (Map.Entry<Integer, String> e : topLevelKeys(body).entrySet()) {
            if (e.getValue().equals(name)) {
                return expressionAt(body, e.getKey());
            }
        }
        return null;
    }

    /** Offsets (just past the '=') of the top-level {@code key =} assignments of a body, with their keys. */
    private static Map<Integer, String> topLevelKeys(String body) {
        Map<Integer, String> out = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^[ \\t]*\"?([A-Za-z_][A-Za-z0-9_-]*)\"?[ \\t]*=(?!=)").matcher(body);
        while (m.find()) {
            if (depthAt(body, m.start(1)) == 0 && isCode(body, m.start(1))) {
                out.put(m.end(), m.group(1));
            }
        }
        return out;
    }

    /** The expression starting at {@code from}: up to the end of the line, or of the bracketed value it opens. */
    private static String expressionAt(String body, int from) {
        Scanner s = new Scanner(body);
        int depth = 0;
        int i = from;
        for (; i < body.length(); i++) {
            char c = body.charAt(i);
            if (!s.codeAt(i)) {
                continue;
            }
            if (c == '{' || c == '(' || c == '[') {
                depth++;
            } else if (c == '}' || c == ')' || c == ']') {
                depth--;
            } else if (c == '\n' && depth == 0) {
                break;
            }
        }
        return stripComment(body.substring(from, i)).trim();
    }

    private static String stripComment(String expression) {
        Scanner s = new Scanner(expression);
        for (int i = 0; i < expression.length(); i++) {
            if (!s.codeAt(i) && s.commentAt(i)) {
                return expression.substring(0, i);
            }
        }
        return expression;
    }

    private static int depthAt(String body, int at) {
        Scanner s = new Scanner(body);
        int depth = 0;
        for (int i = 0; i < at; i++) {
            if (s.codeAt(i)) {
                char c = body.charAt(i);
                if (c == '{' || c == '(' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ')' || c == ']') {
                    depth--;
                }
            }
        }
        return depth;
    }

    private static boolean isCode(String text, int at) {
        return new Scanner(text).codeAt(at);
    }

    /** The index of the brace closing the one at {@code open} (with open = -1: of an implied one), or -1. */
    private static int matchingBrace(String text, int open) {
        Scanner s = new Scanner(text);
        int depth = 0;
        for (int i = open + 1; i < text.length(); i++) {
            if (!s.codeAt(i)) {
                continue;
            }
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        if (open >= 0) {
            throw new AssertionError("unbalanced braces after offset " + open);
        }
        return -1;
    }

    /**
     * Classifies every character of HCL text as code or not: string literal parts, heredoc bodies and comments are not
     * code; the expressions inside {@code ${...}} interpolations are.
     */
    private static final class Scanner {
        private final boolean[] code;
        private final boolean[] comment;

        Scanner(String t) {
            int n = t.length();
            code = new boolean[n];
            comment = new boolean[n];
            // Stack of interpolation depths: each entry is the brace depth inside one open ${ ... }.
            List<int[]> interpolations = new ArrayList<>();
            boolean inString = false;
            int i = 0;
            while (i < n) {
                char c = t.charAt(i);
                if (inString) {
                    if (c == '\\' && i + 1 < n) {
                        i += 2;
                        continue;
                    }
                    if (c == '$' && i + 1 < n && t.charAt(i + 1) == '{') {
                        interpolations.add(new int[] {0});
                        inString = false;
                        i += 2;
                        continue;
                    }
                    if (c == '"') {
                        inString = false;
                    }
                    i++;
                    continue;
                }
                // code
                if (c == '"') {
                    inString = true;
                    i++;
                    continue;
                }
                if (c == '#' || (c == '/' && i + 1 < n && t.charAt(i + 1) == '/')) {
                    while (i < n && t.charAt(i) != '\n') {
                        comment[i++] = true;
                    }
                    continue;
                }
                if (c == '/' && i + 1 < n && t.charAt(i + 1) == '*') {
                    int end = t.indexOf("*/", i + 2);
                    end = end < 0 ? n : end + 2;
                    while (i < end) {
                        comment[i++] = true;
                    }
                    continue;
                }
                if (c == '<' && t.startsWith("<<", i) && interpolations.isEmpty()) {
                    Matcher h = Pattern.compile("<<-?([A-Za-z_]+)[ \\t]*\\n").matcher(t).region(i, n);
                    if (h.lookingAt()) {
                        Matcher end = Pattern.compile("(?m)^[ \\t]*" + Pattern.quote(h.group(1)) + "[ \\t]*$")
                                .matcher(t).region(h.end(), n);
                        i = end.find() ? end.end() : n;
                        continue;
                    }
                }
                if (!interpolations.isEmpty()) {
                    int[] top = interpolations.get(interpolations.size() - 1);
                    if (c == '{') {
                        top[0]++;
                    } else if (c == '}') {
                        if (top[0] == 0) {
                            interpolations.remove(interpolations.size() - 1);
                            inString = true; // back in the string the interpolation was part of
                            i++;
                            continue;
                        }
                        top[0]--;
                    }
                }
                code[i] = true;
                i++;
            }
        }

        boolean codeAt(int i) {
            return i >= 0 && i < code.length && code[i];
        }

        boolean commentAt(int i) {
            return i >= 0 && i < comment.length && comment[i];
        }
    }

    // ---- small helpers ---------------------------------------------------------------------------------------------

    private static String unquote(String expression) {
        String e = expression == null ? "" : expression.trim();
        assertThat(e).as("a string literal").matches("\"[^\"]*\"");
        return e.substring(1, e.length() - 1);
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static Path repoRoot() {
        String configured = System.getProperty("gate.repo");
        if (configured != null && Files.isDirectory(Path.of(configured).resolve(MODULE))) {
            return Path.of(configured);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(MODULE))) {
                return p;
            }
        }
        throw new UncheckedIOException(new IOException("no " + MODULE + " above " + Path.of("").toAbsolutePath()));
    }
}
