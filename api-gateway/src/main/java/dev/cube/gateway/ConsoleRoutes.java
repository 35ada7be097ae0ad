package dev.cube.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The web console: {@code GET /} is the page, {@code GET /console/{file}} its script and style,
 * plain files from this jar. The page is revalidated on every load ({@code no-cache}); it links
 * each asset as {@code /console/FILE?v=HASH}, and an asset asked for with its current hash may be
 * cached for a year, since a new build changes the hash and so the URL. The page itself talks to
 * the public API like any other client.
 */
final class ConsoleRoutes {
    static final String PAGE = "index.html";
    static final List<String> ASSETS = List.of("console.js", "console.css");
    static final String CACHE_FOREVER = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";
    /** The page loads only its own script and style and calls only this origin. */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
                    + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, ConsoleAsset> assets = new LinkedHashMap<>();
    private final ConsoleAsset page;

    ConsoleRoutes() {
        String html = ConsoleAsset.load(PAGE).text();
        for (String file : ASSETS) {
            ConsoleAsset asset = ConsoleAsset.load(file);
            assets.put(file, asset);
            html = html.replace("/console/" + file + "\"", "/console/" + file + "?v=" + asset.version() + "\"");
        }
        page = ConsoleAsset.load(PAGE).withText(html);
    }

    /** The console's files are public, so a browser can load the page that asks for the token. */
    List<Route> routes() {
        return List.of(
                Route.get("/", request -> answer(page, REVALIDATE)).as(Route.Access.PUBLIC),
                Route.get("/console/{file}", request -> {
                    ConsoleAsset asset = assets.get(request.param("file"));
                    if (asset == null) {
                        return CompletableFuture.completedFuture(
                                ApiResponse.error(404, "no such console file: " + JsonFields.abbreviate(request.param("file"))));
                    }
                    boolean versioned = asset.version().equals(request.query().get("v"));
                    return answer(asset, versioned ? CACHE_FOREVER : REVALIDATE);
                }).as(Route.Access.PUBLIC));
    }

    private static CompletableFuture<ApiResponse> answer(ConsoleAsset asset, String cacheControl) {
        ApiResponse response = new ApiResponse(200, asset.contentType(), asset.bytes(), Map.of())
                .withHeader("Cache-Control", cacheControl)
                .withHeader("ETag", "\"" + asset.version() + "\"")
                .withHeader("X-Content-Type-Options", "nosniff");
        if (asset.file().endsWith(".html")) {
            response = response.withHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .withHeader("Referrer-Policy", "no-referrer");
        }
        return CompletableFuture.completedFuture(response);
    }
}
