package org.flowstore.app.shell;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import org.flowstore.api.ApplicationId;
import org.flowstore.api.ApplicationIdService;
import org.flowstore.api.flow.FlowEntry;
import org.flowstore.api.flow.FlowRule;
import org.flowstore.api.flow.FlowRuleService;

/**
 * {@code flowstore:remove-flows [application]}: removes every flow of an application (by default
 * the shell's own, added by {@code flowstore:add-flows}) through the flow-rule service, on every
 * device; they turn PENDING_REMOVE and go once their devices confirm.
 */
@Service
@Command(scope = "flowstore", name = "remove-flows",
        description = "Removes every flow of an application (default: those flowstore:add-flows added)")
public final class RemoveFlowsCommand implements Action {

    @Argument(index = 0, name = "application", required = false,
            description = "Application name (default " + AddFlowsCommand.APP + ")")
    String application = AddFlowsCommand.APP;

    @Reference
    FlowRuleService flows;

    @Reference
    ApplicationIdService applications;

    @Override
    public Object execute() throws Exception {
        Optional<ApplicationId> app = applications.getAppId(application);
        if (app.isEmpty()) {
            System.out.println("no application " + application);
            return null;
        }
        List<FlowRule> owned = flows.getFlowEntriesById(app.get()).stream().map(FlowEntry::rule).toList();
        long started = System.nanoTime();
        List<FlowRule> failed = AddFlowsCommand.awaitWrite(flows.removeFlowRules(owned));
        if (failed == null) {
            return null;
        }
        System.out.printf("removed %d flows of %s in %d ms%s%n", owned.size() - failed.size(), application,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                failed.isEmpty() ? "" : "; " + failed.size() + " failed");
        return null;
    }
}
