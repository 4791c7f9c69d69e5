package dev.repro.app;

import java.io.IOException;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

/**
 * Makes the JDK HTTP servers the apps serve on ({@code com.sun.net.httpserver}), with
 * {@code TCP_NODELAY} on accepted connections.
 *
 * <p>The JDK server writes a response's headers and its body in two writes. With Nagle's
 * algorithm on, the body waits for the client to acknowledge the headers, and a client delaying
 * its acknowledgement (Linux waits up to 40 ms) holds every keep-alive request up by that much:
 * single-event POSTs to ingest ran at a fraction of what the broker allowed. The JDK reads the
 * switch ({@value #NODELAY}) once, when its first server starts, so it is set here, before any;
 * a value the user gave on the command line is kept.
 */
public final class HttpServers {

    static final String NODELAY = "sun.net.httpserver.nodelay";

    private HttpServers() {
    }

    public static HttpServer create(InetSocketAddress bind, int backlog) throws IOException {
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
        return HttpServer.create(bind, backlog);
    }
}
