// Top-level fields of `POST /v1/responses` (openai SDK 7.59 `ResponseCreateParamsBase`). The real
// API rejects anything else with `unknown_parameter`; so does the sim, which catches client typos.
export const HTTP_CREATE_PARAMETERS: ReadonlySet<string> = new Set([
  'access_programs',
  'background',
  'background_options',
  'context_management',
  'conversation',
  'image',
  'include',
  'input',
  'instructions',
  'max_output_tokens',
  'max_tool_calls',
  'metadata',
  'model',
  'moderation',
  'parallel_tool_calls',
  'previous_response_id',
  'prompt',
  'prompt_cache_key',
  'prompt_cache_options',
  'prompt_cache_retention',
  'reasoning',
  'safety_identifier',
  'service_tier',
  'store',
  'stream',
  'stream_options',
  'temperature',
  'text',
  'tool_choice',
  'tools',
  'top_logprobs',
  'top_p',
  'truncation',
  'user'
])

/** The WebSocket `response.create` envelope adds these to the HTTP body. */
export const WS_ONLY_CREATE_PARAMETERS: ReadonlySet<string> = new Set(['type', 'stream_id', 'generate'])

/** Input item types of `ResponseInputItem` (openai SDK 7.59). Messages may omit `type`. */
export const INPUT_ITEM_TYPES: readonly string[] = [
  'message',
  'file_search_call',
  'computer_call',
  'computer_call_output',
  'web_search_call',
  'function_call',
  'function_call_output',
  'tool_search_call',
  'tool_search_output',
  'additional_tools',
  'configuration_update',
  'reasoning',
  'compaction',
  'compaction_trigger',
  'image_generation_call',
  'code_interpreter_call',
  'local_shell_call',
  'local_shell_call_output',
  'shell_call',
  'shell_call_output',
  'apply_patch_call',
  'apply_patch_call_output',
  'mcp_list_tools',
  'mcp_approval_request',
  'mcp_approval_response',
  'mcp_call',
  'custom_tool_call',
  'custom_tool_call_output',
  'item_reference',
  'program',
  'program_output'
]

export const MESSAGE_ROLES: readonly string[] = ['user', 'assistant', 'system', 'developer']
export const TOOL_CHOICE_MODES: readonly string[] = ['none', 'auto', 'required']
