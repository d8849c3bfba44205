package org.partneraccess.forms;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * A Camunda Form as the engine serves it to Tasklist ({@code …/deployed-start-form}, {@code …/deployed-form}, through
 * {@code /engine-rest} and the webapps' session API alike), with its choices filled in ({@link GuidedForms}). Only a
 * form the engine allowed the caller to read is touched; everything else passes unchanged.
 */
class GuidedFormFilter extends OncePerRequestFilter {

    private final ObjectMapper json;
    private final FormChoices choices;

    GuidedFormFilter(ObjectMapper json, FormChoices choices) {
        this.json = json;
        this.choices = choices;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !"GET".equals(request.getMethod())
                || !(path.endsWith("/deployed-start-form") || path.endsWith("/deployed-form"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ContentCachingResponseWrapper served = new ContentCachingResponseWrapper(response);
        chain.doFilter(request, served);
        byte[] form = served.getContentAsByteArray();
        if (served.getStatus() == HttpServletResponse.SC_OK && form.length > 0) {
            byte[] guided = new GuidedForms(json, choices::activePartnerships, choices::staff).guide(form);
            if (guided != form) {
                served.resetBuffer();
                served.getOutputStream().write(guided);
                // the choices are today's: a browser must not keep yesterday's partnerships
                served.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            }
        }
        served.copyBodyToResponse();
    }
}
