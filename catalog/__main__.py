from catalog.cli.app import main

main()
