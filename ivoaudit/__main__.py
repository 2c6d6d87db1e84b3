from ivoaudit.cli import main

main()
