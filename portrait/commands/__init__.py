"""The commands of `portrait`, one module each: `register(commands, shared)` adds its parser (with
`handler` and `parser` defaults) to the sub-command set; the handler takes the parsed arguments and
returns the exit code."""

from portrait.commands import bench, build, explain, export, generate, quality, serve, summary

# In the order `portrait --help` lists them: the demo's order, then the tools.
COMMANDS = (generate, build, export, summary, explain, quality, bench, serve)  # serve adds `users` too
