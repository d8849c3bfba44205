package org.partneraccess;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * Rows of a listing as RFC 4180 CSV, written to the response as they are read, so an export of any size never sits in
 * memory. A text cell that a spreadsheet would take for a formula ({@code = + - @}, tab, carriage return at the start)
 * is prefixed with an apostrophe: registry texts such as a purpose come from requesters.
 */
public final class CsvOutput implements Closeable {

    public static final String TEXT_CSV_VALUE = "text/csv";
    public static final MediaType TEXT_CSV = MediaType.parseMediaType(TEXT_CSV_VALUE);
    /** What the response says it is: CSV in UTF-8, with a header row. */
    public static final String CONTENT_TYPE = TEXT_CSV_VALUE + ";charset=UTF-8;header=present";

    /** Quotes only where needed; closing the output leaves the response stream to the server. */
    private static final CsvMapper MAPPER = CsvMapper.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

    private final SequenceWriter writer;

    public CsvOutput(OutputStream out, List<String> header) {
        CsvSchema.Builder schema = CsvSchema.builder();
        header.forEach(schema::addColumn);
        try {
            writer = MAPPER.writerFor(String[].class)
                    .with(schema.build().withHeader().withLineSeparator("\r\n"))
                    .writeValues(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Headers of a CSV download, set before the first row is written. */
    public static void prepare(HttpServletResponse response, String filename) {
        response.setContentType(CONTENT_TYPE);
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    /** One row; values are written as text: instants in ISO-8601 UTC, collections space separated, null as empty. */
    public void row(Object... values) {
        String[] cells = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            cells[i] = cell(values[i]);
        }
        try {
            writer.write(cells);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Instant || value instanceof LocalDate || value instanceof Number || value instanceof Enum<?>) {
            return value.toString();
        }
        String text = value instanceof Collection<?> values
                ? String.join(" ", values.stream().map(String::valueOf).sorted().toList()) : value.toString();
        return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
