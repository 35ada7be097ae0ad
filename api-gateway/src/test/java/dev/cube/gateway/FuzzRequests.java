package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cube.store.Json;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Makes the requests of the gateway fuzz test from one seeded {@link Random}: a plausible request
 * for a random route (every route, worker endpoints included, using names, ids and sessions the
 * test learned from earlier answers), then, most of the time, one to three mutations of its JSON
 * body, bytes, path, query, method or headers. Some requests are not even HTTP.
 */
final class FuzzRequests {
    /**
     * One request. {@code wellFormed}: valid HTTP framing, so the server must answer it and may keep
     * the connection; the others are sent on a connection of their own.
     */
    record Fuzzed(String method, String target, byte[] bytes, boolean wellFormed, String mutations, String credential) {
        String describe() {
            String text = new String(bytes, 0, Math.min(bytes.length, 600), StandardCharsets.ISO_8859_1);
            return "[" + mutations + "] " + text.replace("\r\n", "\\r\\n") + (bytes.length > 600 ? "..." : "");
        }
    }

    static final String[] NASTY = {"", " ", "..", ".", "%00", "%2F", "%zz", "%", "a/b", "\u0000", "\t", "ü", "😀",
            "<script>", "' OR 1=1 --", "${jndi:ldap://x/a}", "\\", "-", "A", "a_b", "-1", "0", "1e309", "NaN",
            "null", "true", "9".repeat(40), "x".repeat(300), "ä".repeat(2000), "../../etc/passwd", "\r\nX-Injected: 1",
            "/var/run/docker.sock:/var/run/docker.sock", "--privileged", "host"};
    private static final String[] IMAGES = {"cube-demo:latest", "busybox", "registry:5000/team/app:1.2",
            "nginx@sha256:" + "a".repeat(64), "UPPER/case", "a:b:c", ""};
    private static final String[] METHODS = {"GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS", "TRACE", "FOO",
            "get", "G ET"};
    private static final String[] STATES = {"pending", "scheduled", "running", "completed", "failed", "stopped",
            "lost", "RUNNING", "x"};

    private final Random random;
    private final Map<String, String> tokens;
    final List<String> taskRefs = new ArrayList<>();
    final Map<String, String> workerSessions = new LinkedHashMap<>();

    /** {@code tokens}: role name ("operator", "read-only", "join") to token. */
    FuzzRequests(Random random, Map<String, String> tokens) {
        this.random = random;
        this.tokens = tokens;
    }

    Fuzzed next() {
        if (random.nextInt(100) < 2) {
            return garbage();
        }
        Base base = base();
        List<String> applied = new ArrayList<>();
        applied.add(base.method + " " + base.template);
        boolean wellFormed = true;
        int mutations = random.nextInt(100) < 25 ? 0 : 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            int kind = random.nextInt(100);
            if (kind < 40 && base.body != null) {
                applied.add(mutateJson(base));
            } else if (kind < 50 && base.body != null) {
                applied.add(mutateBytes(base));
            } else if (kind < 65) {
                applied.add(mutatePath(base));
            } else if (kind < 73) {
                applied.add(mutateQuery(base));
            } else if (kind < 80) {
                base.method = pick(METHODS);
                applied.add("method " + base.method);
            } else if (kind < 90) {
                applied.add(mutateAuth(base));
            } else if (kind < 95) {
                applied.add(mutateHeaders(base));
            } else {
                wellFormed = false;
                applied.add(breakFraming(base));
            }
        }
        if (base.method.contains(" ") || base.target.contains(" ") || base.target.contains("\n")) {
            wellFormed = false;
        }
        return new Fuzzed(base.method, base.target, base.bytes(), wellFormed && !base.brokenFraming,
                String.join(", ", applied), credential(base.headers.get("Authorization")));
    }

    /** A request being built. */
    private final class Base {
        String method;
        String template;
        String target;
        byte[] body;
        final Map<String, String> headers = new LinkedHashMap<>();
        boolean brokenFraming;
        boolean chunked;
        /** Subtracted from the true Content-Length (the server then sees the rest as the next request). */
        int lengthShortfall;
        byte[] raw;

        Base(String method, String template, String target, JsonNode body, String role) {
            this.method = method;
            this.template = template;
            this.target = target;
            this.body = body == null ? null : Json.bytes(body);
            headers.put("Host", "127.0.0.1");
            if (body != null) {
                headers.put("Content-Type", "application/json");
            }
            String token = tokens.get(role);
            if (token != null) {
                headers.put("Authorization", "Bearer " + token);
            }
        }

        byte[] bytes() {
            if (raw != null) {
                return raw;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            byte[] content = body == null ? new byte[0] : body;
            if (chunked) {
                headers.put("Transfer-Encoding", "chunked");
                content = (Integer.toHexString(content.length) + "\r\n" + new String(content, StandardCharsets.ISO_8859_1)
                        + "\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            }
            if (!headers.containsKey("Content-Length") && !headers.containsKey("Transfer-Encoding")) {
                headers.put("Content-Length", Integer.toString(Math.max(0, content.length - lengthShortfall)));
            }
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(content);
            return out.toByteArray();
        }
    }

    private Base base() {
        String worker = workerSessions.isEmpty() || random.nextInt(10) == 0 ? word() : pick(List.copyOf(workerSessions.keySet()));
        String session = workerSessions.getOrDefault(worker, word());
        String ref = taskRefs.isEmpty() || random.nextInt(10) == 0 ? word() : pick(taskRefs);
        return switch (random.nextInt(22)) {
            case 0, 1, 2 -> new Base("POST", "/tasks", "/tasks", taskSpec(), "operator");
            case 3 -> new Base("GET", "/tasks", "/tasks" + (random.nextBoolean() ? "" : "?state=" + pick(STATES)), null, reader());
            case 4 -> new Base("GET", "/tasks/{ref}", "/tasks/" + enc(ref), null, reader());
            case 5 -> new Base("DELETE", "/tasks/{ref}", "/tasks/" + enc(ref), null, "operator");
            case 6 -> new Base("GET", "/workers", "/workers?stale=" + random.nextBoolean(), null, reader());
            case 7 -> new Base("GET", "/workers/{ref}", "/workers/" + enc(worker), null, reader());
            case 8, 9 -> new Base("POST", "/workers/register", "/workers/register", registration(), "join");
            case 10 -> new Base("POST", "/workers/{id}/heartbeat", "/workers/" + enc(worker) + "/heartbeat",
                    Json.MAPPER.createObjectNode().put("session", session), "join");
            case 11 -> new Base("GET", "/workers/{id}/assignments", "/workers/" + enc(worker) + "/assignments?after="
                    + random.nextInt(1000) + "&wait=" + random.nextInt(50), null, "join");
            case 12, 13 -> new Base("POST", "/workers/{id}/tasks/{taskId}/status", "/workers/" + enc(worker) + "/tasks/"
                    + enc(ref) + "/status", statusReport(session), "join");
            case 14 -> new Base("GET", "/managers", "/managers", null, reader());
            case 15 -> random.nextBoolean()
                    ? new Base("POST", "/managers", "/managers", Json.MAPPER.createObjectNode().put("id", word())
                            .put("raft", "127.0.0.1:" + (1 + random.nextInt(65535)))
                            .put("api", "127.0.0.1:" + (1 + random.nextInt(65535))), "operator")
                    : new Base("DELETE", "/managers/{id}", "/managers/" + enc(word()), null, "operator");
            case 17 -> new Base("POST", "/tasks", "/tasks", bulkSubmission(), "operator");
            case 18 -> new Base("POST", "/workers/{id}/" + (random.nextBoolean() ? "drain" : "activate"),
                    "/workers/" + enc(worker) + (random.nextBoolean() ? "/drain" : "/activate"), null, "operator");
            case 19 -> new Base("POST", "/workers/{id}/status", "/workers/" + enc(worker) + "/status",
                    statusReports(session, ref), "join");
            case 20 -> new Base("GET", "/tasks/{ref}/logs", "/tasks/" + enc(ref) + "/logs?tail=" + (random.nextInt(20) - 2),
                    null, reader());
            // GET /events is left out: its answer never ends (StreamingRoutesTest covers it).
            case 21 -> switch (random.nextInt(3)) {
                case 0 -> new Base("GET", "/openapi.json", "/openapi.json", null, reader());
                case 1 -> new Base("GET", "/", "/", null, "none");
                default -> new Base("GET", "/console/{file}", "/console/" + pick(new String[] {"console.js",
                        "console.css", "index.html", "..%2Fopenapi.json", word()}), null, "none");
            };
            default -> random.nextBoolean() ? new Base("GET", "/health", "/health", null, "none")
                    : new Base("GET", "/metrics", "/metrics?format=" + pick(new String[] {"json", "prometheus", "x"}),
                    null, reader());
        };
    }

    private String reader() {
        return random.nextBoolean() ? "read-only" : "operator";
    }

    private ObjectNode taskSpec() {
        ObjectNode spec = Json.MAPPER.createObjectNode().put("name", "t-" + word()).put("image", pick(IMAGES));
        if (random.nextBoolean()) {
            ArrayNode command = spec.putArray("command");
            for (int i = random.nextInt(4); i > 0; i--) command.add(random.nextBoolean() ? "sh" : pick(NASTY));
        }
        if (random.nextBoolean()) spec.putObject("env").put("MODE", pick(NASTY)).put("A_" + random.nextInt(9), "1");
        if (random.nextBoolean()) spec.put("cpus", random.nextInt(4) * 0.25);
        if (random.nextBoolean()) spec.put("memory", pick(new String[] {"64m", "1g", "5m", "2t", "12345678", "-1"}));
        if (random.nextBoolean()) spec.putArray("ports").add((8000 + random.nextInt(100)) + ":80");
        if (random.nextBoolean()) spec.putObject("labels").put("team", pick(NASTY));
        return spec;
    }

    private ObjectNode registration() {
        String id = random.nextInt(4) == 0 ? word() : "w" + random.nextInt(6);
        ObjectNode r = Json.MAPPER.createObjectNode().put("id", id).put("name", "n-" + id).put("host", "h")
                .put("cpus", pick(new Double[] {0.5, 2.0, 64.0, 1e9, -1.0, 0.0}))
                .put("memory", pick(new Long[] {1L << 30, 64L << 30, Long.MAX_VALUE, 0L, -5L}));
        if (random.nextBoolean()) r.putObject("labels").put("zone", pick(NASTY));
        return r;
    }

    /** An array of specs (names may repeat), or one spec with a count of replicas. */
    private JsonNode bulkSubmission() {
        if (random.nextBoolean()) {
            ArrayNode specs = Json.MAPPER.createArrayNode();
            for (int i = random.nextInt(4); i >= 0; i--) specs.add(random.nextInt(5) == 0 ? specs.isEmpty() ? taskSpec()
                    : specs.get(0).deepCopy() : taskSpec());
            return specs;
        }
        return taskSpec().put("count", pick(new Integer[] {1, 3, 10, 0, -1, 100_001}));
    }

    private ObjectNode statusReports(String session, String taskId) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("session", session);
        ArrayNode reports = body.putArray("reports");
        for (int i = random.nextInt(4); i > 0; i--) {
            ObjectNode report = statusReport(session);
            report.remove("session");
            reports.add(report.put("taskId", random.nextBoolean() ? taskId : word()));
        }
        return body;
    }

    private ObjectNode statusReport(String session) {
        ObjectNode r = Json.MAPPER.createObjectNode().put("session", session).put("state", pick(STATES));
        if (random.nextBoolean()) r.put("containerId", "c" + random.nextInt(100));
        if (random.nextBoolean()) r.put("exitCode", random.nextInt(300) - 10);
        if (random.nextBoolean()) r.put("error", pick(NASTY));
        return r;
    }

    // ---- mutations ---------------------------------------------------------------------------

    private String mutateJson(Base base) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(base.body);
        } catch (Exception e) {
            return mutateBytes(base);
        }
        if (!(tree instanceof ContainerNode<?>)) {
            base.body = Json.bytes(randomValue(0));
            return "json: body replaced";
        }
        List<JsonNode> containers = new ArrayList<>();
        collect(tree, containers);
        JsonNode target = pick(containers);
        String what;
        if (target instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            int op = random.nextInt(4);
            if (names.isEmpty() || op == 0) {
                String name = random.nextBoolean() ? word() : pick(NASTY);
                object.set(name, randomValue(0));
                what = "json: added field " + JsonFields.abbreviate(name);
            } else if (op == 1) {
                String name = pick(names);
                object.remove(name);
                what = "json: removed " + name;
            } else {
                String name = pick(names);
                object.set(name, randomValue(0));
                what = "json: replaced " + name;
            }
        } else {
            ArrayNode array = (ArrayNode) target;
            array.add(randomValue(0));
            what = "json: array item added";
        }
        base.body = Json.bytes(tree);
        return what;
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        if (node.isContainerNode()) {
            into.add(node);
            node.forEach(child -> collect(child, into));
        }
    }

    private JsonNode randomValue(int depth) {
        int kind = random.nextInt(depth > 2 ? 12 : 16);
        // Wide containers only at the top, narrow ones below: at most a few thousand nodes per value.
        int width = depth == 0 && random.nextBoolean() ? 400 : 4;
        return switch (kind) {
            case 0 -> Json.MAPPER.nullNode();
            case 1 -> Json.MAPPER.getNodeFactory().booleanNode(random.nextBoolean());
            case 2 -> Json.MAPPER.getNodeFactory().numberNode(random.nextLong());
            case 3 -> Json.MAPPER.getNodeFactory().numberNode(pick(new Double[] {0.0, -0.0, 1e308, -1e308, 4.9e-324, 0.5}));
            case 4 -> Json.MAPPER.getNodeFactory().numberNode(new java.math.BigInteger("9".repeat(1 + random.nextInt(60))));
            case 5, 6, 7 -> Json.MAPPER.getNodeFactory().textNode(pick(NASTY));
            case 8 -> Json.MAPPER.getNodeFactory().textNode("y".repeat(random.nextInt(depth == 0 ? 70_000 : 100)));
            case 9 -> Json.MAPPER.getNodeFactory().textNode(word());
            case 10 -> Json.MAPPER.createArrayNode();
            case 11 -> Json.MAPPER.createObjectNode();
            case 12 -> {
                ArrayNode a = Json.MAPPER.createArrayNode();
                for (int i = random.nextInt(width); i > 0; i--) a.add(randomValue(depth + 1));
                yield a;
            }
            case 13 -> {
                ObjectNode o = Json.MAPPER.createObjectNode();
                for (int i = random.nextInt(width); i > 0; i--) {
                    o.set(random.nextBoolean() ? word() : pick(NASTY), randomValue(depth + 1));
                }
                yield o;
            }
            default -> Json.MAPPER.getNodeFactory().textNode(pick(NASTY) + word());
        };
    }

    private String mutateBytes(Base base) {
        byte[] body = base.body;
        int op = random.nextInt(8);
        switch (op) {
            case 0 -> base.body = java.util.Arrays.copyOf(body, random.nextInt(body.length + 1));
            case 1 -> {
                if (body.length > 0) body[random.nextInt(body.length)] = (byte) random.nextInt(256);
            }
            case 2 -> {
                int depth = 30 + random.nextInt(random.nextBoolean() ? 10 : 5000);
                base.body = ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.US_ASCII);
            }
            case 3 -> {
                int depth = 30 + random.nextInt(random.nextBoolean() ? 10 : 5000);
                base.body = ("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)).getBytes(StandardCharsets.US_ASCII);
            }
            case 4 -> base.body = new byte[0];
            case 5 -> {
                byte[] noise = new byte[random.nextInt(200)];
                random.nextBytes(noise);
                base.body = noise;
            }
            case 6 -> base.body = random.nextInt(20) == 0 ? new byte[GatewayServer.MAX_BODY_BYTES + 1 + random.nextInt(1000)]
                    : (new String(body, StandardCharsets.UTF_8) + " " + new String(body, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            default -> {
                String text = new String(body, StandardCharsets.UTF_8);
                base.body = text.replaceFirst("\\{", "{\"name\":\"dup\",\"name\":\"dup\",").getBytes(StandardCharsets.UTF_8);
            }
        }
        return "bytes op " + op;
    }

    private String mutatePath(Base base) {
        String path = base.target.contains("?") ? base.target.substring(0, base.target.indexOf('?')) : base.target;
        String query = base.target.substring(path.length());
        List<String> segments = new ArrayList<>(List.of(path.substring(1).split("/", -1)));
        int op = random.nextInt(6);
        switch (op) {
            case 0 -> segments.set(random.nextInt(segments.size()), enc(pick(NASTY)));
            case 1 -> segments.add(enc(pick(NASTY)));
            case 2 -> segments.remove(random.nextInt(segments.size()));
            case 3 -> segments.set(random.nextInt(segments.size()), pick(NASTY).replace(" ", "%20"));
            case 4 -> segments.set(random.nextInt(segments.size()), "z".repeat(random.nextBoolean() ? 1000 : 9000));
            default -> segments.add(random.nextInt(segments.size() + 1), "");
        }
        base.target = "/" + String.join("/", segments) + query;
        if (base.target.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            base.brokenFraming = true;   // raw control characters or non-ASCII in the request line
        }
        return "path op " + op;
    }

    private String mutateQuery(Base base) {
        String name = pick(new String[] {"after", "wait", "stale", "state", "format", word(), ""});
        String value = pick(new String[] {"-1", "1e3", "99999999999999999999", "true", "", "%zz", "%00", "a%26b=c"});
        base.target += (base.target.contains("?") ? "&" : "?") + name + "=" + value;
        return "query " + name + "=" + value;
    }

    private String mutateAuth(Base base) {
        String value = pick(new String[] {null, "Bearer", "Bearer ", "Basic YWJjOmRlZg==", "bearer " + tokens.get("operator"),
                "Bearer " + tokens.get("join"), "Bearer " + tokens.get("read-only"), "Bearer " + word(),
                "Bearer " + "t".repeat(5000), "Bearer " + tokens.get("operator") + "x"});
        if (value == null) {
            base.headers.remove("Authorization");
        } else {
            base.headers.put("Authorization", value);
        }
        return "auth " + (value == null ? "none" : JsonFields.abbreviate(value));
    }

    private String mutateHeaders(Base base) {
        int op = random.nextInt(5);
        switch (op) {
            case 0 -> base.headers.put("Content-Type", pick(new String[] {"text/plain", "application/xml", "", "a/b; charset=x"}));
            case 1 -> base.headers.put("X-Big", "h".repeat(random.nextBoolean() ? 100 : 20_000));
            case 2 -> base.headers.put("Connection", pick(new String[] {"close", "keep-alive", "upgrade"}));
            case 3 -> base.headers.put("Accept-Encoding", "gzip, deflate, br");
            default -> base.headers.put("X-" + word(), pick(NASTY).replace("\r", "").replace("\n", "").replace("\u0000", ""));
        }
        return "header op " + op;
    }

    /** Framing the server cannot trust: sent on a connection of its own. */
    private String breakFraming(Base base) {
        base.brokenFraming = true;
        int op = random.nextInt(4);
        switch (op) {
            case 0 -> base.lengthShortfall = 1 + random.nextInt(5);
            case 1 -> base.chunked = true;
            case 2 -> base.headers.put("Content-Length", pick(new String[] {"-1", "abc", "1, 2", "99999999999999999999"}));
            default -> base.headers.put("Bad Header\u0001", "x");
        }
        return "framing op " + op;
    }

    private Fuzzed garbage() {
        byte[] noise = new byte[1 + random.nextInt(300)];
        random.nextBytes(noise);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(noise);
        out.writeBytes("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return new Fuzzed("?", "?", out.toByteArray(), false, "garbage", "none");
    }

    /** Which role the Authorization header carries: a key of the tokens map, or "none". */
    private String credential(String authorization) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).strip();
            for (Map.Entry<String, String> e : tokens.entrySet()) {
                if (e.getValue().equals(token)) return e.getKey();
            }
        }
        return "none";
    }

    // ---- helpers -----------------------------------------------------------------------------

    private String word() {
        int length = 1 + random.nextInt(10);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) s.append((char) ('a' + random.nextInt(26)));
        return s.toString();
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
