import { drills } from "./bot-drills";

drills("sqlite");
