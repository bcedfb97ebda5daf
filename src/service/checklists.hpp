// Checklists of a step (e.g. the recommended participants and topics of a
// planning meeting): which items are ticked in a task. Ticking is a
// change of the task: it needs write access and the task's version, and
// bumps it, so that two people ticking at once see a conflict instead of
// losing one another's ticks.
#pragma once

#include <string>
#include <vector>

#include "service/use_cases.hpp"

namespace samflyt::service {

// The ticked items of every task of the episode, for those who may read
// it (audited as a read of the episode).
Result<std::vector<ChecklistTick>> list_checklist_ticks(Context& ctx, const Caller& caller,
                                                        const std::string& episode_id);

// Makes exactly `items` (positions in the step's checklist) the ticked
// items of one checklist of the task, if `expected_version` is the task's
// version (else conflict); invalid_input for an unknown checklist or item.
Result<TaskView> set_checklist(Context& ctx, const Caller& caller, const std::string& task_id,
                               std::int64_t expected_version, const std::string& checklist_id,
                               std::vector<int> items);

}  // namespace samflyt::service
