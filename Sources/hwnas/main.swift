import HwnasCLI

HwnasCommand.main()
