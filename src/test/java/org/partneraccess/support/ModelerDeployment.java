package org.partneraccess.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** A deployment as Camunda Modeler's Deploy dialog sends it to the engine REST API: multipart, the file under its name. */
public final class ModelerDeployment {

    private ModelerDeployment() {
    }

    /** A multipart body and the content type that names its boundary. */
    public record Multipart(String contentType, byte[] body) {
    }

    /**
     * @param token  the staff bearer token, or null for none
     * @param fields the form fields beside the file ({@code deployment-name}, {@code deploy-changed-only}, …), in order
     */
    public static HttpResponse<String> send(HttpClient http, int port, String token, Map<String, String> fields,
                                            String file, String content) throws IOException, InterruptedException {
        Multipart multipart = multipart(fields, file, content);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/engine-rest/deployment/create"))
                .header("Content-Type", multipart.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart.body()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The form fields, in order, then the file under its own name, as Modeler's Deploy dialog sends them. */
    public static Multipart multipart(Map<String, String> fields, String file, String content) {
        String boundary = "----partner-access-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file + "\"; filename=\""
                + file + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return new Multipart("multipart/form-data; boundary=" + boundary, body.toByteArray());
    }
}
