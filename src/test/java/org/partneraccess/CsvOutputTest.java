package org.partneraccess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class CsvOutputTest {

    @Test
    void writesAHeaderAndQuotedRowsWithCrLf() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CsvOutput csv = new CsvOutput(out, List.of("id", "purpose", "scopes", "endDate", "lastUsedAt"))) {
            csv.row("i-1", "reads \"open\" orders, daily", new TreeSet<>(Set.of("b.read", "a.read")),
                    Instant.parse("2026-12-31T23:59:59.999999Z"), null);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("id,purpose,scopes,endDate,lastUsedAt\r\n"
                + "i-1,\"reads \"\"open\"\" orders, daily\",a.read b.read,2026-12-31T23:59:59.999999Z,\r\n");
    }

    @Test
    void textThatASpreadsheetWouldRunAsAFormulaIsDefused() {
        assertThat(CsvOutput.cell("=HYPERLINK(\"http://evil\")")).isEqualTo("'=HYPERLINK(\"http://evil\")");
        assertThat(CsvOutput.cell("+1")).isEqualTo("'+1");
        assertThat(CsvOutput.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(CsvOutput.cell("-2")).isEqualTo("'-2");
        assertThat(CsvOutput.cell("Acme reads orders")).isEqualTo("Acme reads orders");
        assertThat(CsvOutput.cell(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(CsvOutput.cell(null)).isEmpty();
    }
}
