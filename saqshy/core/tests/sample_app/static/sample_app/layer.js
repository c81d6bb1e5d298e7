/* the sample app's map layer */
