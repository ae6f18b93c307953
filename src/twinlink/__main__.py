from twinlink.cli import main

main()
