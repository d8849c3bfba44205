package org.partneraccess;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Small sets of names (scopes, data classes, environments) stored as one sorted, comma separated column. */
@Converter
public class StringSetConverter implements AttributeConverter<Set<String>, String> {

    @Override
    public String convertToDatabaseColumn(Set<String> values) {
        return join(values);
    }

    @Override
    public Set<String> convertToEntityAttribute(String column) {
        return split(column);
    }

    /** The names sorted and comma separated, as kept in a column or a record. */
    public static String join(Set<String> values) {
        return values == null ? "" : String.join(",", new TreeSet<>(values));
    }

    /** The names of a {@link #join}ed text; empty for none. */
    public static Set<String> split(String text) {
        if (text == null || text.isBlank()) {
            return new TreeSet<>();
        }
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
