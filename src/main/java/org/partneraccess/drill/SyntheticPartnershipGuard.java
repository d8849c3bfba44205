package org.partneraccess.drill;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.partneraccess.Drills;
import org.partneraccess.inventory.IdentityNotFoundException;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.partnership.PartnershipNotFoundException;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The drill's synthetic partnerships and identities do not exist for staff: every handler of {@code /api} and of the
 * dashboard that takes a partnership key or an identity id answers them as it answers one that does not exist (404),
 * before anything else runs. Listings leave them out by their key (see {@link Drills}).
 */
@Configuration(proxyBeanMethods = false)
class SyntheticPartnershipGuard implements WebMvcConfigurer, HandlerInterceptor {

    private final IdentityRegistry identities;

    SyntheticPartnershipGuard(IdentityRegistry identities) {
        this.identities = identities;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        // after the check of a handler's groups: a caller outside them still gets 403, as for any partnership
        registry.addInterceptor(this).addPathPatterns("/api/**", "/dashboard/**").order(Ordered.LOWEST_PRECEDENCE);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables)) {
            return true;
        }
        boolean api = request.getRequestURI().startsWith(request.getContextPath() + "/api/");
        for (Object name : new String[] {"key", "subject"}) {
            if (variables.get(name) instanceof String key && Drills.isDrill(key)) {
                throw api ? new PartnershipNotFoundException(key) : new ResponseStatusException(HttpStatus.NOT_FOUND);
            }
        }
        for (Object name : new String[] {"id", "subject"}) {
            if (variables.get(name) instanceof String id && isDrillIdentity(id)) {
                throw api ? new IdentityNotFoundException(id) : new ResponseStatusException(HttpStatus.NOT_FOUND);
            }
        }
        return true;
    }

    private boolean isDrillIdentity(String id) {
        return id.length() <= 40 && identities.find(id).filter(identity -> Drills.isDrill(identity.getPartnershipKey()))
                .isPresent();
    }
}
