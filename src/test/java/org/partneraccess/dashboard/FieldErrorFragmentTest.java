package org.partneraccess.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.thymeleaf.TemplateSpec;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The action forms' one field-error fragment, rendered as the dashboard renders it (Spring's expression language):
 * a field's message shows on the form that was sent, and nowhere else.
 */
class FieldErrorFragmentTest {

    private final SpringTemplateEngine engine = new SpringTemplateEngine();

    FieldErrorFragmentTest() {
        ClassLoaderTemplateResolver templates = new ClassLoaderTemplateResolver();
        templates.setPrefix("templates/");
        templates.setSuffix(".html");
        engine.setTemplateResolver(templates);
    }

    private String render(String action, String field) {
        Context context = new Context();
        context.setVariable("form", "incident");
        context.setVariable("errors", Map.of("reason", "must not be blank", "confirm", "tick the box to confirm"));
        // the fragment's parameters, as th:replace="~{dashboard/fragments :: fieldError('incident', 'reason')}" sets them
        context.setVariable("action", action);
        context.setVariable("field", field);
        return engine.process(new TemplateSpec("dashboard/fragments", Set.of("fieldError"), TemplateMode.HTML, null),
                context).strip();
    }

    @Test
    void theSentFormShowsEachFieldsMessage() {
        assertThat(render("incident", "reason"))
                .isEqualTo("<span class=\"alert field-error\" data-field=\"reason\">must not be blank</span>");
        assertThat(render("incident", "confirm")).contains("data-field=\"confirm\"", "tick the box to confirm");
    }

    @Test
    void anotherFormOrAFieldWithoutAMessageShowsNothing() {
        assertThat(render("suspension", "reason")).isEmpty();
        assertThat(render("incident", "severity")).isEmpty();
    }
}
