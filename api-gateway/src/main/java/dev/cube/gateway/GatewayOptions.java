package dev.cube.gateway;

import io.netty.handler.ssl.SslContext;
import java.time.Duration;

/**
 * How a {@link GatewayServer} serves, beyond its address.
 *
 * @param apiTimeout   bound on each call to the cluster (a worker's long-poll gets its wait on top)
 * @param auth         who may call what ({@link ApiAuth#none()}: everything open)
 * @param tls          HTTPS when set (see {@link GatewayTls}); null for plain HTTP
 * @param taskDefaults CPU and memory limits of a task that names none
 */
public record GatewayOptions(Duration apiTimeout, ApiAuth auth, SslContext tls, TaskDefaults taskDefaults) {

    public GatewayOptions {
        apiTimeout = apiTimeout == null ? GatewayServer.DEFAULT_API_TIMEOUT : apiTimeout;
        auth = auth == null ? ApiAuth.none() : auth;
        taskDefaults = taskDefaults == null ? TaskDefaults.BUILT_IN : taskDefaults;
    }

    public static GatewayOptions defaults() {
        return new GatewayOptions(null, null, null, null);
    }

    public GatewayOptions withApiTimeout(Duration value) {
        return new GatewayOptions(value, auth, tls, taskDefaults);
    }

    public GatewayOptions withAuth(ApiAuth value) {
        return new GatewayOptions(apiTimeout, value, tls, taskDefaults);
    }

    public GatewayOptions withTls(SslContext value) {
        return new GatewayOptions(apiTimeout, auth, value, taskDefaults);
    }

    public GatewayOptions withTaskDefaults(TaskDefaults value) {
        return new GatewayOptions(apiTimeout, auth, tls, value);
    }
}
