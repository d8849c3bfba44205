package org.partneraccess.receipt;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** A receipt as served: what it says, and the signature (compact JWS) over exactly that text. */
public record SignedReceipt(JsonNode receipt, String jws) {

    /** Sorted keys and ISO instants: the signed text is the same whoever writes the receipt out again. */
    private static final ObjectMapper CANONICAL = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    static SignedReceipt of(Map<String, Object> receipt, ReceiptSigner signer) {
        String payload = canonical(receipt);
        String jws = signer.sign(payload).orElseThrow(ReceiptSigningUnavailableException::new);
        try {
            return new SignedReceipt(CANONICAL.readTree(payload), jws);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String canonical(Object receipt) {
        try {
            return CANONICAL.writeValueAsString(receipt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A map of the pairs, keeping nulls: a receipt says what is unknown rather than leave it out. */
    static Map<String, Object> entries(Object... pairs) {
        Map<String, Object> entries = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            entries.put((String) pairs[i], pairs[i + 1]);
        }
        return entries;
    }
}
