package dev.cube.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One static file of the web console, read once from the jar: its bytes, content type and a
 * version (a hash of the bytes) that the page puts in the asset's URL, so the asset can be cached
 * for good under that URL.
 */
record ConsoleAsset(String file, String contentType, byte[] bytes, String version) {
    static final String RESOURCE_DIR = "/dev/cube/gateway/console/";

    static ConsoleAsset load(String file) {
        try (InputStream in = ConsoleAsset.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("the web console file " + file + " is missing from the jar");
            }
            byte[] bytes = in.readAllBytes();
            return new ConsoleAsset(file, contentType(file), bytes, hash(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same file with other contents (the page, once its asset URLs carry their versions). */
    ConsoleAsset withText(String text) {
        byte[] newBytes = text.getBytes(StandardCharsets.UTF_8);
        return new ConsoleAsset(file, contentType, newBytes, hash(newBytes));
    }

    String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static String contentType(String file) {
        String extension = file.substring(file.lastIndexOf('.') + 1);
        return switch (extension) {
            case "html" -> "text/html; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "svg" -> "image/svg+xml";
            default -> "application/octet-stream";
        };
    }

    private static String hash(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
