package org.partneraccess.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

/** Where a text rests in the database: every table of every schema, the engine's included. */
public final class DatabaseScan {

    private DatabaseScan() {
    }

    /** Every table.column of every schema whose value contains the text (text, binary and serialized values). */
    public static List<String> find(DataSource dataSource, String text) throws SQLException, IOException {
        List<String> found = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("select table_schema, table_name from information_schema.tables "
                    + "where table_type = 'BASE TABLE' and table_schema <> 'INFORMATION_SCHEMA'")) {
                while (rows.next()) {
                    tables.add("\"" + rows.getString(1) + "\".\"" + rows.getString(2) + "\"");
                }
            }
            assertThat(tables).hasSizeGreaterThan(40);
            for (String table : tables) {
                try (ResultSet rows = statement.executeQuery("select * from " + table)) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int column = 1; column <= columns; column++) {
                            if (contains(rows.getObject(column), text)) {
                                found.add((table.replaceAll(".*\\.\"|\"", "") + "." + rows.getMetaData().getColumnName(column))
                                        .toUpperCase(Locale.ROOT));
                            }
                        }
                    }
                }
            }
        }
        return found;
    }

    private static boolean contains(Object value, String text) throws SQLException, IOException {
        if (value == null) {
            return false;
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.ISO_8859_1).contains(text);
        }
        if (value instanceof Blob blob) {
            try (InputStream in = blob.getBinaryStream()) {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains(text);
            }
        }
        if (value instanceof Clob clob) {
            return clob.getSubString(1, (int) clob.length()).contains(text);
        }
        return value.toString().contains(text);
    }
}
