package dev.repro.alerts.target;

import java.net.URI;
import java.util.Map;

/**
 * One HTTP POST to a target: where, the headers, and the JSON body.
 *
 * @param uri     the endpoint
 * @param headers extra headers ({@code Content-Type} is always {@code application/json})
 * @param body    the JSON body, UTF-8
 */
public record OutboundRequest(URI uri, Map<String, String> headers, byte[] body) {

    public OutboundRequest {
        headers = Map.copyOf(headers);
    }

    /** Never the body: a PagerDuty body holds the routing key. */
    @Override
    public String toString() {
        return "POST " + Redaction.origin(uri) + " (" + body.length + " bytes)";
    }
}
