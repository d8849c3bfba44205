package org.partneraccess.security;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandContextFactory;
import org.springframework.stereotype.Component;

/**
 * A command that failed because Keycloak did not answer ({@link IdentityProviderOutage}) is logged by whoever reports it
 * (the engine API's one warning, the job executor's retry), not by the engine as an error with its stack trace
 * (ENGINE-16004) as well: the engine logs it at DEBUG, as it does a refused request. Camunda's switch for that log
 * ({@code enableCmdExceptionLogging}) would silence every command's failure, hence its command contexts here.
 */
@Component
class OutageLoggingPlugin extends AbstractProcessEnginePlugin {

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        CommandContextFactory contexts = new CommandContextFactory() {
            @Override
            public CommandContext createCommandContext() {
                return new OutageAware(processEngineConfiguration);
            }
        };
        // the engine sets its configuration only into a factory it made itself
        contexts.setProcessEngineConfiguration(configuration);
        configuration.setCommandContextFactory(contexts);
    }

    static final class OutageAware extends CommandContext {

        OutageAware(ProcessEngineConfigurationImpl configuration) {
            super(configuration);
        }

        @Override
        protected boolean shouldLogFine(Throwable exception) {
            return super.shouldLogFine(exception) || IdentityProviderOutage.in(exception).isPresent();
        }
    }
}
