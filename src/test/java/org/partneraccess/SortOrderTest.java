package org.partneraccess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SortOrderTest {

    private static final Map<String, SortOrder.Column> SORTABLE = new LinkedHashMap<>();

    static {
        SORTABLE.put("id", SortOrder.Column.of("identity_id"));
        SORTABLE.put("endDate", SortOrder.Column.of("end_date"));
        SORTABLE.put("lastUsedAt", SortOrder.Column.nullable("last_used_at"));
    }

    private static String order(List<String> parameters) {
        return SortOrder.parse(parameters, SORTABLE, List.of("endDate"), "id").orderBy();
    }

    @Test
    void defaultOrderEndsWithTheKey() {
        assertThat(order(null)).isEqualTo("end_date asc, identity_id asc");
        assertThat(order(List.of())).isEqualTo("end_date asc, identity_id asc");
    }

    @Test
    void bothCommonFormsAreUnderstood() {
        // sort=lastUsedAt,desc arrives split by Spring when it is the only value, and whole when there are several
        assertThat(order(List.of("lastUsedAt", "desc"))).isEqualTo("last_used_at desc nulls last, identity_id asc");
        assertThat(order(List.of("lastUsedAt,desc", "endDate"))).isEqualTo(
                "last_used_at desc nulls last, end_date asc, identity_id asc");
        assertThat(order(List.of("-endDate,lastUsedAt"))).isEqualTo(
                "end_date desc, last_used_at asc nulls last, identity_id asc");
        assertThat(order(List.of("id,desc"))).isEqualTo("identity_id desc");
    }

    @Test
    void unknownPropertiesAndStrayDirectionsAreInvalidAndNamed() {
        assertThatThrownBy(() -> order(List.of("end_date; drop table partner_identity")))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.fieldErrors()).containsOnlyKeys("sort");
                    assertThat(e.fieldErrors().get("sort")).contains("sortable are id, endDate, lastUsedAt")
                            .doesNotContain("drop table");
                });
        assertThatThrownBy(() -> order(List.of("desc"))).isInstanceOf(InvalidRequestException.class);
    }
}
