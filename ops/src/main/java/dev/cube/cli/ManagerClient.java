package dev.cube.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The managers' HTTP API for the CLI. Each call goes to the first manager that answers: on a
 * connection failure, or a 503 (that manager knows no leader), it tries the next URL in order.
 * Every answer of 400 or more becomes a {@link CliException#refused} carrying the server's own
 * sentence; no answer at all becomes {@link CliException#noManager}.
 */
final class ManagerClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

    private final List<URI> managers;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    ManagerClient(List<URI> managers, String token) {
        if (managers.isEmpty()) {
            throw new IllegalArgumentException("no manager URL");
        }
        this.managers = List.copyOf(managers);
        this.token = token == null || token.isBlank() ? null : token.strip();
    }

    JsonNode get(String path) {
        return json(send("GET", path, null, CALL_TIMEOUT, HttpResponse.BodyHandlers.ofString()));
    }

    JsonNode post(String path, JsonNode body) {
        return json(send("POST", path, body == null ? "" : body.toString(), CALL_TIMEOUT,
                HttpResponse.BodyHandlers.ofString()));
    }

    JsonNode delete(String path) {
        return json(send("DELETE", path, null, CALL_TIMEOUT, HttpResponse.BodyHandlers.ofString()));
    }

    /** A streaming GET (events, logs): the open body, read until it ends; the caller closes it. */
    InputStream stream(String path) {
        HttpResponse<InputStream> response = send("GET", path, null, null, HttpResponse.BodyHandlers.ofInputStream());
        return response.body();
    }

    static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private <T> HttpResponse<T> send(String method, String path, String body, Duration timeout,
                                     HttpResponse.BodyHandler<T> handler) {
        List<String> failures = new ArrayList<>();
        HttpResponse<T> lastUnavailable = null;
        for (URI manager : managers) {
            HttpRequest request = request(manager, method, path, body, timeout);
            try {
                HttpResponse<T> response = http.send(request, handler);
                if (response.statusCode() == 503 && managers.size() > 1) {
                    closeQuietly(lastUnavailable);
                    lastUnavailable = response;
                    continue;
                }
                if (response.statusCode() >= 400) {
                    closeQuietly(lastUnavailable);
                    throw refusal(manager, method, path, response);
                }
                closeQuietly(lastUnavailable);
                return response;
            } catch (IOException e) {
                failures.add(base(manager) + describe(e));
            } catch (UnresolvedAddressException e) {
                failures.add(base(manager) + ": unknown host");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.NO_MANAGER, "interrupted");
            }
        }
        if (lastUnavailable != null) {
            throw refusal(managers.getLast(), method, path, lastUnavailable);
        }
        throw CliException.noManager("no manager answered at " + String.join(", ", failures));
    }

    private HttpRequest request(URI manager, String method, String path, String body, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(resolve(manager, path));
        if (timeout != null) {
            builder.timeout(timeout);
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            builder.header("Content-Type", "application/json");
            builder.method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    private static URI resolve(URI manager, String path) {
        String base = manager.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    private static String base(URI manager) {
        return manager.toString();
    }

    private static String describe(IOException e) {
        return switch (e) {
            case HttpConnectTimeoutException t -> ": connection timed out";
            case HttpTimeoutException t -> ": no answer within " + CALL_TIMEOUT.toSeconds() + " s";
            case ConnectException c when c.getCause() instanceof UnresolvedAddressException -> ": unknown host";
            case ConnectException c -> ": connection refused";
            case java.net.UnknownHostException u -> ": unknown host";
            default -> ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        };
    }

    /** The server's sentence; a 404 for the route itself means the manager predates it. */
    private static CliException refusal(URI manager, String method, String path, HttpResponse<?> response) {
        String text = bodyText(response);
        String sentence = text;
        try {
            JsonNode error = JSON.readTree(text).path("error");
            if (error.isTextual()) {
                sentence = error.textValue();
            }
        } catch (IOException e) {
            // not JSON: print it as it is
        }
        int status = response.statusCode();
        if (status == 404 && sentence.startsWith("no such endpoint")) {
            String route = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            return CliException.refused("the manager at " + manager + " does not serve " + method + " " + route
                    + ": it runs an older version of Cube");
        }
        if (sentence.isBlank()) {
            sentence = "HTTP " + status;
        }
        return CliException.refused(sentence + (status == 401 ? " (set --token or CUBE_TOKEN)" : ""));
    }

    private static String bodyText(HttpResponse<?> response) {
        Object body = response.body();
        if (body instanceof String s) {
            return s.strip();
        }
        if (body instanceof InputStream in) {
            try (in) {
                return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                return "";
            }
        }
        return "";
    }

    private static void closeQuietly(HttpResponse<?> response) {
        if (response != null && response.body() instanceof InputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the connection is dropped either way
            }
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            String body = response.body();
            return body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw CliException.refused("the manager answered something that is not JSON: " + e.getMessage());
        }
    }
}
