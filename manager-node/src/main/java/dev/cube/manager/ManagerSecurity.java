package dev.cube.manager;

import dev.cube.gateway.ApiAuth;
import dev.cube.gateway.GatewayOptions;
import dev.cube.gateway.GatewayTls;
import dev.cube.gateway.TaskDefaults;
import dev.cube.manager.config.ConfigLoader;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.tls.ClusterCa;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;

/** What a manager's config says about tokens, TLS and task limits, in the forms its parts need. */
final class ManagerSecurity {

    private ManagerSecurity() {}

    static GatewayOptions gatewayOptions(ManagerConfig config, Duration apiTimeout) {
        ManagerConfig.Tls tls = config.tls();
        return GatewayOptions.defaults()
                .withApiTimeout(apiTimeout)
                .withAuth(apiAuth(config.auth()))
                .withTls(tls == null ? null : GatewayTls.server(Path.of(tls.cert()), Path.of(tls.key())))
                .withTaskDefaults(config.tasks() == null ? TaskDefaults.BUILT_IN : ConfigLoader.taskDefaults(config.tasks()));
    }

    static ApiAuth apiAuth(ManagerConfig.Auth auth) {
        if (auth == null) {
            return ApiAuth.none();
        }
        return new ApiAuth(auth.tokens().stream()
                .map(t -> new ApiAuth.ApiToken(t.name(), t.token(), ApiAuth.Role.parse(t.role())))
                .toList(), auth.joinToken());
    }

    /** The client side of HTTPS to other managers (trusting the cluster CA), or null without TLS. */
    static SSLContext peerTls(ManagerConfig config) {
        return config.tls() == null ? null : ClusterCa.sslContext(Path.of(config.tls().ca()));
    }

    /** A loud warning for each way this manager is open to whoever reaches its API. */
    static void warnIfOpen(ManagerConfig config, Logger log) {
        if (isLoopback(config.api().host())) {
            return;
        }
        ApiAuth auth = apiAuth(config.auth());
        if (!auth.tokensRequired()) {
            log.warn("!!! SECURITY: the API listens on {} without API tokens: anyone who reaches port {} can run "
                    + "any container on every worker. Set auth.tokens (ops/install-manager.sh makes them) or "
                    + "listen on 127.0.0.1 only.", config.api().host(), config.api().port());
        }
        if (!auth.joinTokenRequired()) {
            log.warn("!!! SECURITY: the API listens on {} without auth.join-token: any machine can join as a "
                    + "worker and receive tasks.", config.api().host());
        }
        if (config.tls() == null) {
            log.warn("!!! SECURITY: the API listens on {} over plain HTTP: tokens and task specs cross the "
                    + "network in clear. Set tls (ops/make-certs.sh makes the files).", config.api().host());
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
