package dev.cube.gateway;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/** The gateway's HTTPS context from PEM files: a certificate chain and its PKCS#8 private key. */
public final class GatewayTls {

    private GatewayTls() {}

    public static SslContext server(Path certChain, Path privateKey) {
        try {
            return SslContextBuilder.forServer(certChain.toFile(), privateKey.toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use certificate " + certChain + " with key " + privateKey
                    + ": " + e.getMessage(), e);
        }
    }
}
