// The built-in tools, in the order the model sees them. A new tool is a file in this folder and a
// line here.
import { ToolRegistry } from '../registry/tool-registry'
import { editFileTool } from './edit-file'
import { listDirTool } from './list-dir'
import { readFileTool } from './read-file'
import { scriptTool } from './script'
import { searchTool } from './search'
import { shellTool } from './shell'
import { writeFileTool } from './write-file'

export const BUILTIN_TOOLS = [shellTool, scriptTool, readFileTool, listDirTool, searchTool, writeFileTool, editFileTool]

export const builtinTools = new ToolRegistry(BUILTIN_TOOLS)
