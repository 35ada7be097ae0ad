package dev.cube.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;

/** Free ports on loopback for the servers a test starts. */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /** Distinct free ports, held open at once so that none is handed out twice. */
    public static int[] distinct(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            }
            return Arrays.stream(sockets).mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) s.close();
            }
        }
    }
}
