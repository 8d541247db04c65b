import VigilCLI

await VigilCommand.mainWithExitCodes()
